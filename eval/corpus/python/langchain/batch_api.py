"""Public batch summarisation endpoint for the partner API."""
from fastapi import FastAPI, Header, HTTPException
from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI
from pydantic import BaseModel

from .keys import partner_for_key

app = FastAPI()
prompt = ChatPromptTemplate.from_messages(
    [("system", "Summarise the text for a busy executive."), ("human", "{text}")]
)


class BatchRequest(BaseModel):
    documents: list[str]
    max_tokens: int = 512
    model: str = "gpt-4o-mini"


@app.post("/v1/summaries")
async def summaries(req: BatchRequest, x_api_key: str = Header(...)):
    partner = partner_for_key(x_api_key)
    if partner is None:
        raise HTTPException(status_code=401)
    llm = ChatOpenAI(model="gpt-4o-mini", max_tokens=req.max_tokens)
    chain = prompt | llm
    results = []
    for doc in req.documents:
        out = await chain.ainvoke({"text": doc})
        results.append(out.content)
    return {"partner": partner.name, "summaries": results}
