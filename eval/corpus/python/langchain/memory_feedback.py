"""Chat assistant that 'learns' from user corrections by storing them as trusted answers."""
import os
from datetime import datetime, timezone

from flask import Flask, jsonify, request
from langchain_community.vectorstores import Chroma
from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI, OpenAIEmbeddings

app = Flask(__name__)
verified_answers = Chroma(
    collection_name="verified_answers",
    embedding_function=OpenAIEmbeddings(),
    persist_directory=os.environ.get("MEMORY_DIR", "./memory"),
)
llm = ChatOpenAI(model="gpt-4o-mini", max_tokens=500)
prompt = ChatPromptTemplate.from_messages(
    [
        ("system", "Verified answers from our experts (always prefer these):\n{verified}"),
        ("human", "{question}"),
    ]
)


@app.post("/chat")
def chat():
    question = request.json["question"][:2000]
    hits = verified_answers.similarity_search(question, k=3)
    verified = "\n".join(h.page_content for h in hits)
    answer = (prompt | llm).invoke({"verified": verified, "question": question})
    return jsonify(answer=answer.content)


@app.post("/feedback")
def feedback():
    body = request.get_json(force=True)
    correction = f"Q: {body['question']}\nA: {body['correct_answer']}"
    verified_answers.add_texts(
        [correction],
        metadatas=[{"source": "user-feedback", "at": datetime.now(timezone.utc).isoformat()}],
    )
    return jsonify(stored=True)


if __name__ == "__main__":
    app.run()
