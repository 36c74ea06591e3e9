"""Webhook that keeps the public help-bot's knowledge base up to date."""
import os

from flask import Flask, jsonify, request
from llama_index.core import Document, StorageContext, VectorStoreIndex, load_index_from_storage

PERSIST_DIR = os.environ.get("KB_DIR", "./kb-storage")
app = Flask(__name__)

storage = StorageContext.from_defaults(persist_dir=PERSIST_DIR)
kb_index = load_index_from_storage(storage)
query_engine = kb_index.as_query_engine(similarity_top_k=4)


@app.post("/hooks/kb-update")
def kb_update():
    payload = request.get_json(force=True)
    docs = [
        Document(text=item["body"], metadata={"title": item.get("title", ""), "source": item.get("url", "")})
        for item in payload.get("articles", [])[:50]
    ]
    for doc in docs:
        kb_index.insert(doc)
    kb_index.storage_context.persist(persist_dir=PERSIST_DIR)
    return jsonify(inserted=len(docs))


@app.get("/help")
def help_bot():
    question = request.args.get("q", "")[:500]
    return jsonify(answer=str(query_engine.query(question)))


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000)
