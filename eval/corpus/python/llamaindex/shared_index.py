"""HR document assistant for all client companies, backed by one Qdrant collection."""
import os

import qdrant_client
from fastapi import Depends, FastAPI, UploadFile
from llama_index.core import Document, StorageContext, VectorStoreIndex
from llama_index.vector_stores.qdrant import QdrantVectorStore

from .auth import Principal, authenticate

app = FastAPI()
qdrant = qdrant_client.QdrantClient(url=os.environ["QDRANT_URL"], api_key=os.environ["QDRANT_API_KEY"])
vector_store = QdrantVectorStore(client=qdrant, collection_name="hr_docs")
storage = StorageContext.from_defaults(vector_store=vector_store)
index = VectorStoreIndex.from_vector_store(vector_store, storage_context=storage)


@app.post("/documents")
async def upload(file: UploadFile, who: Principal = Depends(authenticate)):
    text = (await file.read()).decode("utf-8", errors="ignore")
    doc = Document(text=text, metadata={"company_id": who.company_id, "filename": file.filename})
    index.insert(doc)
    return {"indexed": file.filename}


@app.get("/ask")
async def ask(q: str, who: Principal = Depends(authenticate)):
    engine = index.as_query_engine(similarity_top_k=5)
    response = await engine.aquery(q)
    return {
        "answer": str(response),
        "sources": [n.node.metadata.get("filename") for n in response.source_nodes],
    }
