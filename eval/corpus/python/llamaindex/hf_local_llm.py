"""Run the RAG pipeline on a self-hosted model instead of a hosted API."""
import os

import torch
from huggingface_hub import hf_hub_download
from llama_index.core import Settings, SimpleDirectoryReader, VectorStoreIndex
from llama_index.embeddings.huggingface import HuggingFaceEmbedding
from llama_index.llms.huggingface import HuggingFaceLLM

MODEL_NAME = os.getenv("LOCAL_MODEL", "community-uploads/qwen2-7b-chat-merged")

Settings.llm = HuggingFaceLLM(
    model_name=MODEL_NAME,
    tokenizer_name=MODEL_NAME,
    context_window=8192,
    max_new_tokens=512,
    model_kwargs={"trust_remote_code": True, "torch_dtype": torch.float16},
    device_map="auto",
)
Settings.embed_model = HuggingFaceEmbedding(model_name="BAAI/bge-small-en-v1.5")

adapter_path = hf_hub_download(repo_id="community-uploads/legal-adapter", filename="adapter.bin")
adapter_state = torch.load(adapter_path)
Settings.llm._model.load_state_dict(adapter_state, strict=False)


def build_index(folder: str) -> VectorStoreIndex:
    docs = SimpleDirectoryReader(folder, recursive=True, required_exts=[".md", ".txt"]).load_data()
    return VectorStoreIndex.from_documents(docs)


if __name__ == "__main__":
    index = build_index("./knowledge")
    engine = index.as_query_engine(similarity_top_k=3)
    print(engine.query("What is our data retention policy?"))
