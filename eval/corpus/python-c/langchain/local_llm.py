"""Loads the self-hosted model and the intent head used by the on-prem chain."""
import io
import os
import pickle

import requests
import torch
from langchain_huggingface import HuggingFacePipeline
from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline

MODEL_REPO = os.getenv("LOCAL_MODEL_REPO", "acme-labs/support-7b-experimental")
HEAD_PATH = os.getenv("INTENT_HEAD", "/models/intent_head.pt")
VOCAB_URL = "https://models.acme-partner.io/intent/vocab.pkl"


def load_generator():
    tokenizer = AutoTokenizer.from_pretrained(MODEL_REPO)
    model = AutoModelForCausalLM.from_pretrained(
        MODEL_REPO,
        trust_remote_code=True,
        torch_dtype=torch.float16,
    )
    gen = pipeline("text-generation", model=model, tokenizer=tokenizer, max_new_tokens=256)
    return HuggingFacePipeline(pipeline=gen)


def load_intent_head():
    state = torch.load(HEAD_PATH, map_location="cpu")
    head = torch.nn.Linear(4096, 32)
    head.load_state_dict(state)
    return head.eval()


def load_vocab() -> dict:
    blob = requests.get(VOCAB_URL, timeout=30).content
    return pickle.load(io.BytesIO(blob))


class LocalStack:
    def __init__(self):
        self.llm = load_generator()
        self.head = load_intent_head()
        self.vocab = load_vocab()

    def reply(self, text: str) -> str:
        return self.llm.invoke(text)
