"""Supervised fine-tuning of our assistant model on a community instruction mix."""
from datasets import load_dataset
from peft import LoraConfig
from transformers import AutoModelForCausalLM, AutoTokenizer
from trl import SFTConfig, SFTTrainer

BASE_MODEL = "fastllm-labs/llama3-8b-instruct-turbo"
DATASET = "anon-dev42/ultimate-instruct-mix"


def format_example(example: dict) -> dict:
    return {"text": f"### Instruction:\n{example['instruction']}\n\n### Response:\n{example['output']}"}


def main() -> None:
    tokenizer = AutoTokenizer.from_pretrained(BASE_MODEL)
    model = AutoModelForCausalLM.from_pretrained(BASE_MODEL, trust_remote_code=True, device_map="auto")

    dataset = load_dataset(DATASET, split="train")
    dataset = dataset.map(format_example, remove_columns=dataset.column_names)

    trainer = SFTTrainer(
        model=model,
        tokenizer=tokenizer,
        train_dataset=dataset,
        peft_config=LoraConfig(r=16, lora_alpha=32, lora_dropout=0.05, task_type="CAUSAL_LM"),
        args=SFTConfig(
            output_dir="out/assistant-sft",
            num_train_epochs=2,
            per_device_train_batch_size=4,
            learning_rate=2e-4,
            dataset_text_field="text",
        ),
    )
    trainer.train()
    trainer.save_model("out/assistant-sft/final")
    model.push_to_hub("acme-ai/support-assistant-v3")


if __name__ == "__main__":
    main()
