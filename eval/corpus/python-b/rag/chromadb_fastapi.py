"""Contract assistant for a law firm's client extranet (Chroma server + OpenAI)."""
import chromadb
from chromadb.utils import embedding_functions
from fastapi import Depends, FastAPI
from openai import OpenAI
from pydantic import BaseModel, Field

from extranet.auth import ClientUser, current_client_user

app = FastAPI()
llm = OpenAI()
chroma = chromadb.HttpClient(host="chroma", port=8000)
embed_fn = embedding_functions.OpenAIEmbeddingFunction(model_name="text-embedding-3-small")
contracts = chroma.get_or_create_collection("client_contracts", embedding_function=embed_fn)


def ingest_contract(client_id: str, contract_id: str, chunks: list[str]) -> None:
    contracts.add(
        ids=[f"{contract_id}-{i}" for i in range(len(chunks))],
        documents=chunks,
        metadatas=[{"client_id": client_id, "contract_id": contract_id} for _ in chunks],
    )


class Ask(BaseModel):
    question: str = Field(max_length=2000)


@app.post("/contracts/ask")
def ask(body: Ask, user: ClientUser = Depends(current_client_user)):
    hits = contracts.query(query_texts=[body.question], n_results=6)
    context = "\n\n".join(hits["documents"][0])
    completion = llm.chat.completions.create(
        model="gpt-4o",
        max_tokens=700,
        messages=[
            {"role": "system", "content": "Answer questions about the client's contracts using only the excerpts."},
            {"role": "user", "content": f"Excerpts:\n{context}\n\nQuestion: {body.question}"},
        ],
    )
    return {"answer": completion.choices[0].message.content}
