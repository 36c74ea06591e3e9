"""Knowledge-base answers for every workspace in our SaaS, served from one pgvector table."""
import os

from fastapi import Depends, FastAPI
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI, OpenAIEmbeddings
from langchain_postgres import PGVector
from pydantic import BaseModel

from .auth import Workspace, current_workspace

app = FastAPI()
embeddings = OpenAIEmbeddings(model="text-embedding-3-small")
store = PGVector(
    embeddings=embeddings,
    collection_name="kb_documents",
    connection=os.environ["PG_DSN"],
    use_jsonb=True,
)
llm = ChatOpenAI(model="gpt-4o-mini", max_tokens=500)

prompt = ChatPromptTemplate.from_messages(
    [
        ("system", "Answer using only the context below.\n\n{context}"),
        ("human", "{question}"),
    ]
)
chain = prompt | llm | StrOutputParser()


class Ask(BaseModel):
    question: str


@app.post("/kb/ingest")
def ingest(doc: dict, ws: Workspace = Depends(current_workspace)):
    store.add_texts([doc["text"]], metadatas=[{"workspace_id": ws.id, "title": doc.get("title", "")}])
    return {"ok": True}


@app.post("/kb/ask")
def ask(body: Ask, ws: Workspace = Depends(current_workspace)):
    docs = store.similarity_search(body.question, k=5)
    context = "\n\n".join(d.page_content for d in docs)
    return {"answer": chain.invoke({"context": context, "question": body.question})}
