"""Scores paper abstracts for relevance with a reviewed model pinned to an exact revision."""
import sys

import torch
from safetensors.torch import load_file
from transformers import AutoModelForSequenceClassification, AutoTokenizer

# Only models the team has reviewed, each pinned to the commit that was reviewed.
APPROVED_MODELS = {
    "acme-research/paper-relevance-v2": "3f1c9e0b7a5d42c8e6b1f0a9d8c7b6a5e4d3c2b1",
}
MODEL_ID = "acme-research/paper-relevance-v2"
REVISION = APPROVED_MODELS[MODEL_ID]

tokenizer = AutoTokenizer.from_pretrained(MODEL_ID, revision=REVISION, trust_remote_code=False)
model = AutoModelForSequenceClassification.from_pretrained(
    MODEL_ID, revision=REVISION, trust_remote_code=False, use_safetensors=True
)

# Our own fine-tuned head: tensors only, no pickled code.
head = load_file("/mnt/team-drive/heads/relevance_head.safetensors")
model.classifier.load_state_dict(head)
# Older checkpoints still come as .pt files; weights_only refuses anything but tensors.
if len(sys.argv) > 1 and sys.argv[1].endswith(".pt"):
    model.classifier.load_state_dict(torch.load(sys.argv[1], weights_only=True, map_location="cpu"))
model.eval()


def score(abstract: str) -> float:
    inputs = tokenizer(abstract, return_tensors="pt", truncation=True, max_length=512)
    with torch.no_grad():
        logits = model(**inputs).logits
    return torch.softmax(logits, dim=-1)[0, 1].item()


if __name__ == "__main__":
    for line in sys.stdin:
        print(f"{score(line):.3f}\t{line.strip()[:80]}")
