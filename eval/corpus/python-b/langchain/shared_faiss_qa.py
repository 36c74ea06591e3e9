"""Docs Q&A bot that reuses a pre-built FAISS index published on the Hugging Face Hub."""
import os

from huggingface_hub import snapshot_download
from langchain.chains import RetrievalQA
from langchain_community.vectorstores import FAISS
from langchain_openai import ChatOpenAI, OpenAIEmbeddings

INDEX_REPO = "devtools-community/python-docs-faiss"


def load_vectorstore() -> FAISS:
    local_dir = snapshot_download(repo_id=INDEX_REPO, repo_type="dataset")
    embeddings = OpenAIEmbeddings(model="text-embedding-3-small")
    return FAISS.load_local(local_dir, embeddings, allow_dangerous_deserialization=True)


def build_chain() -> RetrievalQA:
    vectorstore = load_vectorstore()
    return RetrievalQA.from_chain_type(
        llm=ChatOpenAI(model="gpt-4o-mini", temperature=0),
        chain_type="stuff",
        retriever=vectorstore.as_retriever(search_kwargs={"k": 4}),
        return_source_documents=True,
    )


def main() -> None:
    qa = build_chain()
    print("Ask about the Python docs (empty line to quit)")
    while True:
        question = input("> ").strip()
        if not question:
            break
        result = qa.invoke({"query": question})
        print(result["result"])
        for doc in result["source_documents"]:
            print("  -", doc.metadata.get("source", "?"))


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    main()
