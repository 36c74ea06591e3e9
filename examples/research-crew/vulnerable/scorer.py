"""Scores paper abstracts for relevance with a community model from the Hugging Face Hub."""
import sys

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

MODEL_ID = sys.argv[1] if len(sys.argv) > 1 else "acme-research/paper-relevance-v2"

tokenizer = AutoTokenizer.from_pretrained(MODEL_ID, trust_remote_code=True)
model = AutoModelForSequenceClassification.from_pretrained(MODEL_ID, trust_remote_code=True)

# Our own fine-tuned head, shared on the team drive.
head = torch.load("/mnt/team-drive/heads/relevance_head.pt")
model.classifier.load_state_dict(head)
model.eval()


def score(abstract: str) -> float:
    inputs = tokenizer(abstract, return_tensors="pt", truncation=True, max_length=512)
    with torch.no_grad():
        logits = model(**inputs).logits
    return torch.softmax(logits, dim=-1)[0, 1].item()


if __name__ == "__main__":
    for line in sys.stdin:
        print(f"{score(line):.3f}\t{line.strip()[:80]}")
