"""Chat API for the Pawsome pet-insurance app (LangChain + FastAPI)."""
from fastapi import Depends, FastAPI
from langchain.chains import ConversationChain
from langchain.memory import ConversationBufferMemory
from langchain_openai import ChatOpenAI
from pydantic import BaseModel

from pawsome.auth import Member, current_member

app = FastAPI(title="Pawsome chat")

memory = ConversationBufferMemory()


class ChatRequest(BaseModel):
    message: str
    max_tokens: int = 1024
    temperature: float = 0.3


def build_chain(req: ChatRequest) -> ConversationChain:
    llm = ChatOpenAI(model="gpt-4o", max_tokens=req.max_tokens, temperature=req.temperature)
    return ConversationChain(llm=llm, memory=memory)


@app.post("/v1/chat")
def chat(req: ChatRequest, member: Member = Depends(current_member)):
    chain = build_chain(req)
    intro = f"(Member {member.full_name}, policy {member.policy_number}, pet {member.pet_name}) "
    answer = chain.predict(input=intro + req.message)
    return {"answer": answer}


@app.post("/v1/chat/reset")
def reset(member: Member = Depends(current_member)):
    memory.clear()
    return {"status": "cleared"}
