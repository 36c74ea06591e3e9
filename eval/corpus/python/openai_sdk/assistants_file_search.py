"""Contract Q&A for our customers using the Assistants API with file_search."""
import os

from fastapi import Depends, FastAPI, UploadFile
from openai import OpenAI

from .auth import current_customer

app = FastAPI()
client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])

# One store for everything: cheaper than one per customer.
VECTOR_STORE_ID = os.environ["CONTRACTS_VECTOR_STORE_ID"]
ASSISTANT_ID = os.environ["CONTRACTS_ASSISTANT_ID"]


@app.post("/contracts")
async def upload_contract(file: UploadFile, customer=Depends(current_customer)):
    data = await file.read()
    uploaded = client.files.create(file=(file.filename, data), purpose="assistants")
    client.vector_stores.files.create(vector_store_id=VECTOR_STORE_ID, file_id=uploaded.id)
    return {"file_id": uploaded.id, "customer": customer.id}


@app.post("/contracts/ask")
async def ask(question: str, customer=Depends(current_customer)):
    thread = client.beta.threads.create(
        messages=[{"role": "user", "content": question}],
        tool_resources={"file_search": {"vector_store_ids": [VECTOR_STORE_ID]}},
    )
    run = client.beta.threads.runs.create_and_poll(
        thread_id=thread.id,
        assistant_id=ASSISTANT_ID,
        max_completion_tokens=800,
    )
    if run.status != "completed":
        return {"error": run.status}
    msgs = client.beta.threads.messages.list(thread_id=thread.id, order="desc", limit=1)
    return {"answer": msgs.data[0].content[0].text.value}
