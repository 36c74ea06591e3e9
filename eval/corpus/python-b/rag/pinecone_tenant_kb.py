"""'Similar tickets' panel for the HelpHub multi-tenant helpdesk (one namespace per org)."""
import os

from fastapi import Depends, FastAPI
from openai import OpenAI
from pinecone import Pinecone
from pydantic import BaseModel, Field

from helphub.auth import Agent, current_agent

app = FastAPI()
oai = OpenAI()
pc = Pinecone(api_key=os.environ["PINECONE_API_KEY"])
index = pc.Index("helphub-tickets")


def embed(text: str) -> list[float]:
    return oai.embeddings.create(model="text-embedding-3-small", input=text[:8000]).data[0].embedding


def index_ticket(org_id: str, ticket_id: str, subject: str, body: str) -> None:
    index.upsert(
        vectors=[{"id": ticket_id, "values": embed(f"{subject}\n{body}"),
                  "metadata": {"subject": subject, "body": body[:2000]}}],
        namespace=org_id,
    )


class SimilarRequest(BaseModel):
    text: str = Field(max_length=8000)


@app.post("/tickets/similar")
def similar_tickets(req: SimilarRequest, agent: Agent = Depends(current_agent)):
    # The namespace comes from the authenticated agent, never from the request body.
    res = index.query(vector=embed(req.text), top_k=5, include_metadata=True, namespace=agent.org_id)
    return [
        {"ticket_id": m.id, "score": m.score, "subject": m.metadata["subject"], "body": m.metadata["body"]}
        for m in res.matches
    ]
