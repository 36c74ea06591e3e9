"""'Ask HR' Slack bot for all employees; retrieval is limited to what the asker may read."""
import os

from flask import Flask, jsonify, request
from llama_index.core import Settings, SimpleDirectoryReader, StorageContext, VectorStoreIndex, load_index_from_storage
from llama_index.core.vector_stores import FilterOperator, MetadataFilter, MetadataFilters
from llama_index.embeddings.openai import OpenAIEmbedding
from llama_index.llms.openai import OpenAI

from askhr.directory import groups_for_slack_user
from askhr.acl import audience_for_path

HR_DRIVE = "/mnt/hr-share"
PERSIST_DIR = "/var/lib/askhr/index"

Settings.llm = OpenAI(model="gpt-4o-mini", temperature=0, max_tokens=500)
Settings.embed_model = OpenAIEmbedding(model="text-embedding-3-small")


def get_index() -> VectorStoreIndex:
    if os.path.exists(PERSIST_DIR):
        return load_index_from_storage(StorageContext.from_defaults(persist_dir=PERSIST_DIR))
    reader = SimpleDirectoryReader(HR_DRIVE, recursive=True,
                                   file_metadata=lambda path: {"audience": audience_for_path(path), "file_name": os.path.basename(path)})
    index = VectorStoreIndex.from_documents(reader.load_data())
    index.storage_context.persist(persist_dir=PERSIST_DIR)
    return index


index = get_index()
app = Flask(__name__)


@app.post("/slack/ask-hr")
def ask_hr():
    groups = groups_for_slack_user(request.form["user_id"])
    filters = MetadataFilters(filters=[MetadataFilter(key="audience", value=groups, operator=FilterOperator.IN)])
    query_engine = index.as_query_engine(similarity_top_k=5, filters=filters)
    response = query_engine.query(request.form["text"][:1000])
    sources = {n.node.metadata.get("file_name") for n in response.source_nodes}
    return jsonify(response_type="ephemeral", text=f"{response}\n\nSources: {', '.join(sorted(sources))}")


if __name__ == "__main__":
    app.run(port=3001)
