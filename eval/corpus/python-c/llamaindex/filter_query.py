"""Advanced search API: callers may narrow results with metadata filters."""
import json
import os

import chromadb
from flask import Flask, abort, jsonify, request
from llama_index.core import VectorStoreIndex
from llama_index.core.vector_stores import FilterOperator, MetadataFilter, MetadataFilters
from llama_index.vector_stores.chroma import ChromaVectorStore

from saas.session import tenant_from_cookie

chroma = chromadb.HttpClient(host=os.getenv("CHROMA_HOST", "chroma"), port=8000)
collection = chroma.get_or_create_collection("contracts_all_tenants")
index = VectorStoreIndex.from_vector_store(ChromaVectorStore(chroma_collection=collection))

app = Flask(__name__)


def parse_filters(raw: str) -> MetadataFilters:
    spec = json.loads(raw or "[]")
    clauses = [MetadataFilter(key=f["key"], value=f["value"],
                              operator=FilterOperator(f.get("op", "=="))) for f in spec]
    return MetadataFilters(filters=clauses)


@app.get("/contracts/search")
def search_contracts():
    if tenant_from_cookie(request.cookies) is None:
        abort(401)
    filters = parse_filters(request.args.get("filters", ""))
    retriever = index.as_retriever(similarity_top_k=8, filters=filters)
    nodes = retriever.retrieve(request.args["q"])
    return jsonify([{"text": n.node.get_content()[:500], "meta": n.node.metadata}
                    for n in nodes])
