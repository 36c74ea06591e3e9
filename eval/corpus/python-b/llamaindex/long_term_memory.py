"""Product-support chat with a 'remember this' feature backed by a shared LlamaIndex index."""
from datetime import datetime, timezone

from fastapi import Depends, FastAPI
from llama_index.core import Document, Settings, StorageContext, VectorStoreIndex, load_index_from_storage
from llama_index.llms.openai import OpenAI
from pydantic import BaseModel

from support.auth import User, current_user

Settings.llm = OpenAI(model="gpt-4o-mini", temperature=0)
PERSIST_DIR = "/var/lib/support-bot/knowledge"

knowledge = load_index_from_storage(StorageContext.from_defaults(persist_dir=PERSIST_DIR))
app = FastAPI()


class ChatIn(BaseModel):
    message: str


def remember(user: User, fact: str) -> None:
    doc = Document(
        text=fact,
        metadata={"source": "verified product knowledge", "added_at": datetime.now(timezone.utc).isoformat()},
    )
    knowledge.insert(doc)
    knowledge.storage_context.persist(persist_dir=PERSIST_DIR)


@app.post("/chat")
def chat(body: ChatIn, user: User = Depends(current_user)):
    text = body.message.strip()
    if text.lower().startswith("remember:"):
        remember(user, text.split(":", 1)[1].strip())
        return {"reply": "Got it, I'll remember that for everyone."}
    engine = knowledge.as_chat_engine(chat_mode="context", similarity_top_k=4,
                                      system_prompt="Answer product questions using the verified knowledge.")
    return {"reply": str(engine.chat(text))}
