"""Per-company HR assistant: the query engine always filters on the caller's company."""
import os

import qdrant_client
from fastapi import Depends, FastAPI
from llama_index.core import Settings, VectorStoreIndex
from llama_index.core.vector_stores import ExactMatchFilter, MetadataFilters
from llama_index.llms.openai import OpenAI
from llama_index.vector_stores.qdrant import QdrantVectorStore
from pydantic import BaseModel, Field

from .auth import Principal, authenticate

Settings.llm = OpenAI(model="gpt-4o-mini", max_tokens=512, timeout=30)

app = FastAPI()
client = qdrant_client.QdrantClient(url=os.environ["QDRANT_URL"], api_key=os.environ["QDRANT_API_KEY"])
index = VectorStoreIndex.from_vector_store(QdrantVectorStore(client=client, collection_name="hr_docs"))


class Ask(BaseModel):
    question: str = Field(min_length=2, max_length=1500)


def engine_for(who: Principal):
    filters = MetadataFilters(filters=[ExactMatchFilter(key="company_id", value=who.company_id)])
    return index.as_query_engine(similarity_top_k=4, filters=filters)


@app.post("/ask")
async def ask(body: Ask, who: Principal = Depends(authenticate)):
    response = await engine_for(who).aquery(body.question)
    return {"answer": str(response)}
