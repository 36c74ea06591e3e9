"""Per-organisation document Q&A. Every retrieval is scoped to the caller's org."""
import os

from fastapi import Depends, FastAPI, HTTPException
from langchain_chroma import Chroma
from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI, OpenAIEmbeddings
from pydantic import BaseModel, Field

from .security import User, require_user

app = FastAPI()
vectordb = Chroma(
    collection_name="org_docs",
    embedding_function=OpenAIEmbeddings(),
    persist_directory=os.environ.get("CHROMA_DIR", "/var/lib/chroma"),
)
llm = ChatOpenAI(model="gpt-4o-mini", max_tokens=600, timeout=30)
prompt = ChatPromptTemplate.from_messages(
    [
        ("system", "Answer from the context. If the answer is not there, say so.\n\nContext:\n{context}"),
        ("human", "{question}"),
    ]
)


class Query(BaseModel):
    question: str = Field(min_length=3, max_length=2000)


def retriever_for(user: User):
    return vectordb.as_retriever(
        search_type="similarity",
        search_kwargs={"k": 4, "filter": {"org_id": user.org_id}},
    )


@app.post("/docs/ask")
def ask(q: Query, user: User = Depends(require_user)):
    if not user.org_id:
        raise HTTPException(status_code=403)
    docs = retriever_for(user).invoke(q.question)
    context = "\n---\n".join(d.page_content for d in docs)
    answer = (prompt | llm).invoke({"context": context, "question": q.question})
    return {"answer": answer.content, "sources": [d.metadata.get("title") for d in docs]}
