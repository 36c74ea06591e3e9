#!/usr/bin/env python3
"""Load the toxicity classifier: pinned revision, safetensors, safe config parsing."""
import hashlib
from pathlib import Path

import torch
import yaml
from huggingface_hub import hf_hub_download
from transformers import AutoModelForSequenceClassification, AutoTokenizer

CONFIG = yaml.safe_load(Path("config/toxicity.yaml").read_text())
REPO = CONFIG.get("repo", "unitary/toxic-bert")
REVISION = CONFIG.get("revision", "4d6c22e74ba2fdd26bc4f7238f50f4a5d8a4a5d2")
THRESHOLDS_SHA256 = "9b1f6c0d2e8a4f7b3c5d1e9a0b2c4d6e8f1a3b5c7d9e0f2a4b6c8d0e1f3a5b7c"


def load():
    tok = AutoTokenizer.from_pretrained(REPO, revision=REVISION)
    model = AutoModelForSequenceClassification.from_pretrained(
        REPO, revision=REVISION, use_safetensors=True, trust_remote_code=False
    )
    model.eval()
    return tok, model


def load_thresholds() -> torch.Tensor:
    path = hf_hub_download(REPO, "thresholds.pt", revision=REVISION)
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    if digest != THRESHOLDS_SHA256:
        raise RuntimeError("thresholds file does not match the pinned checksum")
    return torch.load(path, map_location="cpu", weights_only=True)


def classify(texts: list[str]) -> list[bool]:
    tok, model = load()
    thresholds = load_thresholds()
    batch = tok(texts[:64], padding=True, truncation=True, max_length=256, return_tensors="pt")
    with torch.no_grad():
        probs = torch.sigmoid(model(**batch).logits)
    return (probs > thresholds).any(dim=1).tolist()


if __name__ == "__main__":
    import sys

    print(classify([line.strip() for line in sys.stdin if line.strip()]))
