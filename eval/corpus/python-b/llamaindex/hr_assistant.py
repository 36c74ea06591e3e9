"""'Ask HR' Slack bot for all employees, built on LlamaIndex over the HR shared drive."""
import os

from flask import Flask, jsonify, request
from llama_index.core import Settings, SimpleDirectoryReader, StorageContext, VectorStoreIndex, load_index_from_storage
from llama_index.embeddings.openai import OpenAIEmbedding
from llama_index.llms.openai import OpenAI

HR_DRIVE = "/mnt/hr-share"          # policies, salary bands, performance reviews, investigations
PERSIST_DIR = "/var/lib/askhr/index"

Settings.llm = OpenAI(model="gpt-4o-mini", temperature=0)
Settings.embed_model = OpenAIEmbedding(model="text-embedding-3-small")


def get_index() -> VectorStoreIndex:
    if os.path.exists(PERSIST_DIR):
        return load_index_from_storage(StorageContext.from_defaults(persist_dir=PERSIST_DIR))
    documents = SimpleDirectoryReader(HR_DRIVE, recursive=True).load_data()
    index = VectorStoreIndex.from_documents(documents)
    index.storage_context.persist(persist_dir=PERSIST_DIR)
    return index


index = get_index()
query_engine = index.as_query_engine(similarity_top_k=5)
app = Flask(__name__)


@app.post("/slack/ask-hr")
def ask_hr():
    question = request.form["text"]
    response = query_engine.query(question)
    sources = {n.node.metadata.get("file_name") for n in response.source_nodes}
    return jsonify(response_type="ephemeral", text=f"{response}\n\nSources: {', '.join(sorted(sources))}")


if __name__ == "__main__":
    app.run(port=3001)
