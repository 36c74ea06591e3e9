"""Crawls partner docs and community posts into the shared knowledge base."""
import os

import requests
from bs4 import BeautifulSoup
from flask import Flask, jsonify, request
from langchain_community.vectorstores import Chroma
from langchain_openai import OpenAIEmbeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

app = Flask(__name__)
splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=100)
vectordb = Chroma(
    collection_name="shared_kb",
    embedding_function=OpenAIEmbeddings(),
    persist_directory=os.getenv("CHROMA_DIR", "./chroma"),
)


def fetch_page_text(url: str) -> str:
    html = requests.get(url, timeout=15).text
    return BeautifulSoup(html, "html.parser").get_text(" ", strip=True)


def chunk(text: str, source: str):
    pieces = splitter.split_text(text)
    return pieces, [{"source": source, "visibility": "all_customers"} for _ in pieces]


@app.post("/kb/submit")
def submit_link():
    link = request.json["url"]
    page_text = fetch_page_text(link)
    texts, metas = chunk(page_text, link)
    vectordb.add_texts(texts=texts, metadatas=metas)
    return jsonify({"added": len(texts)})


@app.post("/kb/search")
def search():
    payload = request.get_json(force=True)
    where = payload.get("filter", {})
    hits = vectordb.similarity_search(payload["query"], k=5, filter=where)
    return jsonify([{"text": h.page_content, "meta": h.metadata} for h in hits])
