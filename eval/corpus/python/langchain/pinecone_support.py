"""Support widget backend. Each customer's help-centre articles live in their own namespace."""
import os

from flask import Flask, jsonify, request
from langchain_openai import ChatOpenAI, OpenAIEmbeddings
from langchain_pinecone import PineconeVectorStore
from pinecone import Pinecone

app = Flask(__name__)
pc = Pinecone(api_key=os.environ["PINECONE_API_KEY"])
index = pc.Index("helpcentre")
embeddings = OpenAIEmbeddings(model="text-embedding-3-small")
llm = ChatOpenAI(model="gpt-4o-mini", max_tokens=400)


def store_for(namespace: str) -> PineconeVectorStore:
    return PineconeVectorStore(index=index, embedding=embeddings, namespace=namespace)


@app.post("/widget/answer")
def answer():
    tenant = request.headers.get("X-Tenant", "public")
    question = request.json.get("question", "")[:1000]
    docs = store_for(tenant).similarity_search(question, k=4)
    context = "\n\n".join(d.page_content for d in docs)
    reply = llm.invoke(
        [
            ("system", "Answer the customer's question from these help articles:\n" + context),
            ("human", question),
        ]
    )
    return jsonify(answer=reply.content, articles=[d.metadata.get("url") for d in docs])


if __name__ == "__main__":
    app.run(port=5001)
