"""Search API over customer workspaces stored in Pinecone namespaces."""
import os

from fastapi import Depends, FastAPI, Header
from openai import OpenAI
from pinecone import Pinecone
from pydantic import BaseModel

from saas.auth import verify_api_token

app = FastAPI()
oai = OpenAI(api_key=os.environ["OPENAI_API_KEY"], timeout=20)
pc = Pinecone(api_key=os.environ["PINECONE_API_KEY"])
index = pc.Index("workspaces")


class SearchBody(BaseModel):
    query: str
    top_k: int = 5


def embed(text: str) -> list[float]:
    return oai.embeddings.create(model="text-embedding-3-small", input=text).data[0].embedding


@app.post("/search")
def search(body: SearchBody, x_workspace: str = Header(...), user=Depends(verify_api_token)):
    vector = embed(body.query)
    workspace_ns = x_workspace.strip()
    res = index.query(vector=vector, top_k=min(body.top_k, 20),
                      namespace=workspace_ns, include_metadata=True)
    return [{"id": m.id, "score": m.score, "text": m.metadata.get("text")} for m in res.matches]
