"""Semantic search over all customers' uploaded documents (one shared index)."""
import os

import qdrant_client
from fastapi import Depends, FastAPI
from llama_index.core import Settings, VectorStoreIndex
from llama_index.embeddings.openai import OpenAIEmbedding
from llama_index.llms.openai import OpenAI
from llama_index.vector_stores.qdrant import QdrantVectorStore

from saas.auth import Account, require_account

Settings.llm = OpenAI(model="gpt-4o-mini", max_tokens=512, timeout=30)
Settings.embed_model = OpenAIEmbedding(model="text-embedding-3-small")

qdrant = qdrant_client.QdrantClient(url=os.environ["QDRANT_URL"],
                                    api_key=os.environ["QDRANT_API_KEY"])
# every tenant's chunks live in this collection, tagged with metadata["tenant_id"]
store = QdrantVectorStore(client=qdrant, collection_name="customer_docs")
index = VectorStoreIndex.from_vector_store(store)

app = FastAPI()


@app.get("/docs/ask")
def ask_docs(q: str, account: Account = Depends(require_account)):
    engine = index.as_query_engine(similarity_top_k=5)
    answer = engine.query(q)
    sources = [n.node.metadata.get("file_name") for n in answer.source_nodes]
    return {"account": account.id, "answer": str(answer), "sources": sources}
