"""Public 'suggest a document' endpoint that feeds the help-centre index."""
import os
import tempfile

from flask import Flask, jsonify, request
from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex, load_index_from_storage
from llama_index.embeddings.huggingface import HuggingFaceEmbedding

PERSIST_DIR = os.getenv("HELP_INDEX_DIR", "/data/help_index")

embedder = HuggingFaceEmbedding(
    model_name="nomic-ai/nomic-embed-text-v1.5",
    trust_remote_code=True,
)

app = Flask(__name__)


def _load_index() -> VectorStoreIndex:
    ctx = StorageContext.from_defaults(persist_dir=PERSIST_DIR)
    return load_index_from_storage(ctx, embed_model=embedder)


def _read_upload(upload) -> list:
    tmpdir = tempfile.mkdtemp()
    target = os.path.join(tmpdir, "upload.txt")
    upload.save(target)
    return SimpleDirectoryReader(input_files=[target]).load_data()


@app.post("/help/suggest")
def suggest_document():
    docs = _read_upload(request.files["document"])
    for d in docs:
        d.metadata["submitted_by"] = request.form.get("email", "anonymous")
    help_index = _load_index()
    for d in docs:
        help_index.insert(d)
    help_index.storage_context.persist(persist_dir=PERSIST_DIR)
    return jsonify({"status": "indexed", "chunks": len(docs)})
