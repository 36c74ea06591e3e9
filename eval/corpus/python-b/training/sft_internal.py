"""Supervised fine-tuning of our assistant model on the curated internal instruction set."""
import hashlib
from pathlib import Path

from datasets import load_dataset
from peft import LoraConfig
from transformers import AutoModelForCausalLM, AutoTokenizer
from trl import SFTConfig, SFTTrainer

BASE_MODEL = "meta-llama/Meta-Llama-3-8B-Instruct"
BASE_REVISION = "5f0b02c75b57c5855da9ae460ce51323ea669d8a"  # reviewed snapshot
DATA_FILE = Path("/data/curated/instructions-2024-10.jsonl")
DATA_SHA256 = "9c1e4f3b2a7d8e6f0a1b2c3d4e5f60718293a4b5c6d7e8f9012a3b4c5d6e7f80"


def verify_dataset(path: Path) -> None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != DATA_SHA256:
        raise SystemExit(f"dataset checksum mismatch: {digest}")


def format_example(example: dict) -> dict:
    return {"text": f"### Instruction:\n{example['instruction']}\n\n### Response:\n{example['output']}"}


def main() -> None:
    verify_dataset(DATA_FILE)
    tokenizer = AutoTokenizer.from_pretrained(BASE_MODEL, revision=BASE_REVISION)
    model = AutoModelForCausalLM.from_pretrained(
        BASE_MODEL, revision=BASE_REVISION, use_safetensors=True, device_map="auto"
    )
    dataset = load_dataset("json", data_files=str(DATA_FILE), split="train")
    dataset = dataset.map(format_example, remove_columns=dataset.column_names)

    trainer = SFTTrainer(
        model=model,
        tokenizer=tokenizer,
        train_dataset=dataset,
        peft_config=LoraConfig(r=16, lora_alpha=32, lora_dropout=0.05, task_type="CAUSAL_LM"),
        args=SFTConfig(output_dir="out/assistant-sft", num_train_epochs=2, per_device_train_batch_size=4,
                       learning_rate=2e-4, dataset_text_field="text"),
    )
    trainer.train()
    trainer.save_model("out/assistant-sft/final")


if __name__ == "__main__":
    main()
