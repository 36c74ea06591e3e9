"""Multi-tenant document Q&A for the ClientPortal SaaS (shared collection, tenant-filtered)."""
from fastapi import Depends, FastAPI, HTTPException, UploadFile
from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_openai import ChatOpenAI, OpenAIEmbeddings
from pydantic import BaseModel, Field

from portal.auth import CurrentUser, get_current_user

app = FastAPI()
embeddings = OpenAIEmbeddings(model="text-embedding-3-small")
vectordb = Chroma(collection_name="client_documents", embedding_function=embeddings,
                  persist_directory="/var/lib/portal/chroma")
llm = ChatOpenAI(model="gpt-4o-mini", temperature=0, max_tokens=600)
MAX_UPLOAD_BYTES = 2_000_000


class Question(BaseModel):
    question: str = Field(max_length=1000)


@app.post("/documents")
async def upload(file: UploadFile, user: CurrentUser = Depends(get_current_user)):
    raw = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(raw) > MAX_UPLOAD_BYTES:
        raise HTTPException(413, "file too large")
    text = raw.decode("utf-8", errors="ignore")
    chunks = [text[i:i + 1500] for i in range(0, len(text), 1500)]
    vectordb.add_documents([
        Document(page_content=c, metadata={"tenant_id": user.tenant_id, "filename": file.filename})
        for c in chunks
    ])
    return {"chunks": len(chunks)}


@app.post("/ask")
def ask(body: Question, user: CurrentUser = Depends(get_current_user)):
    docs = vectordb.similarity_search(body.question, k=4, filter={"tenant_id": user.tenant_id})
    context = "\n\n".join(d.page_content for d in docs)
    answer = llm.invoke([
        ("system", "Answer using only the provided documents."),
        ("human", f"Documents:\n{context}\n\nQuestion: {body.question}"),
    ])
    return {"answer": answer.content, "sources": [d.metadata["filename"] for d in docs]}
