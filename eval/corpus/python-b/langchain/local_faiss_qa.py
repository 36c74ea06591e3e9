"""Docs Q&A bot over our own handbook; the FAISS index is built by this script."""
import sys
from pathlib import Path

from langchain.chains import RetrievalQA
from langchain_community.document_loaders import DirectoryLoader, TextLoader
from langchain_community.vectorstores import FAISS
from langchain_openai import ChatOpenAI, OpenAIEmbeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

HANDBOOK_DIR = Path(__file__).parent / "handbook"
INDEX_DIR = Path(__file__).parent / ".index"  # written only by build_index() below
embeddings = OpenAIEmbeddings(model="text-embedding-3-small")


def build_index() -> None:
    docs = DirectoryLoader(str(HANDBOOK_DIR), glob="**/*.md", loader_cls=TextLoader).load()
    chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=100).split_documents(docs)
    FAISS.from_documents(chunks, embeddings).save_local(str(INDEX_DIR))


def load_index() -> FAISS:
    # The index files are produced by build_index() on this machine, never downloaded.
    return FAISS.load_local(str(INDEX_DIR), embeddings, allow_dangerous_deserialization=True)


def build_chain() -> RetrievalQA:
    return RetrievalQA.from_chain_type(
        llm=ChatOpenAI(model="gpt-4o-mini", temperature=0, max_tokens=500),
        chain_type="stuff",
        retriever=load_index().as_retriever(search_kwargs={"k": 4}),
    )


def main() -> None:
    if "--rebuild" in sys.argv or not INDEX_DIR.exists():
        build_index()
    qa = build_chain()
    while question := input("> ").strip():
        print(qa.invoke({"query": question})["result"])


if __name__ == "__main__":
    main()
