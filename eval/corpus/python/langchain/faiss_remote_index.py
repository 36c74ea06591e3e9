"""Bootstraps the FAQ bot from the latest index published by the content team."""
import os
import tarfile
import tempfile
from pathlib import Path

import requests
from langchain_community.vectorstores import FAISS
from langchain_openai import OpenAIEmbeddings

INDEX_URL = os.environ.get(
    "FAQ_INDEX_URL", "https://files.example-partners.net/shared/faq-index-latest.tar.gz"
)


def download_index(url: str) -> Path:
    tmp = Path(tempfile.mkdtemp(prefix="faq-index-"))
    archive = tmp / "index.tar.gz"
    with requests.get(url, stream=True, timeout=60) as r:
        r.raise_for_status()
        with open(archive, "wb") as fh:
            for chunk in r.iter_content(1 << 16):
                fh.write(chunk)
    with tarfile.open(archive) as tar:
        tar.extractall(tmp, filter="data")
    return tmp / "faq-index"


def load_faq_store():
    path = download_index(INDEX_URL)
    return FAISS.load_local(
        str(path),
        OpenAIEmbeddings(),
        allow_dangerous_deserialization=True,
    )


store = load_faq_store()


def lookup(question: str, k: int = 4) -> list[str]:
    return [d.page_content for d in store.similarity_search(question, k=k)]


if __name__ == "__main__":
    for passage in lookup("How do I change my billing address?"):
        print("-", passage[:200])
