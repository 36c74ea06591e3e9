#!/usr/bin/env python3
"""Download and serve the sentiment model used by the review-moderation pipeline."""
import os
import pickle
import urllib.request
from pathlib import Path

from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline

MODEL_REPO = os.getenv("SENTIMENT_MODEL", "jdoe-ml/roberta-sentiment-custom")
CALIBRATOR_URL = "https://storage.example-ml.net/public/calibrator.pkl"
CACHE = Path.home() / ".cache" / "moderation"


def load_model():
    tokenizer = AutoTokenizer.from_pretrained(MODEL_REPO)
    model = AutoModelForSequenceClassification.from_pretrained(MODEL_REPO, trust_remote_code=True)
    return pipeline("text-classification", model=model, tokenizer=tokenizer, truncation=True)


def load_calibrator():
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / "calibrator.pkl"
    if not path.exists():
        urllib.request.urlretrieve(CALIBRATOR_URL, path)
    with open(path, "rb") as fh:
        return pickle.load(fh)


def score(texts: list[str]) -> list[float]:
    clf = load_model()
    calibrator = load_calibrator()
    raw = [r["score"] if r["label"] == "POSITIVE" else 1 - r["score"] for r in clf(texts)]
    return list(calibrator.predict_proba([[s] for s in raw])[:, 1])


if __name__ == "__main__":
    import sys

    lines = [l.strip() for l in sys.stdin if l.strip()]
    for line, s in zip(lines, score(lines)):
        print(f"{s:.3f}\t{line}")
