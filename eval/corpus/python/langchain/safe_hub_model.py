"""Local summariser on a pinned Hugging Face checkpoint wrapped for LangChain."""
import torch
from langchain_core.prompts import PromptTemplate
from langchain_huggingface import HuggingFacePipeline
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer, pipeline

MODEL_ID = "facebook/bart-large-cnn"
MODEL_REVISION = "37f520fa929c961707657b28798b30c003dd100b"

tokenizer = AutoTokenizer.from_pretrained(MODEL_ID, revision=MODEL_REVISION)
model = AutoModelForSeq2SeqLM.from_pretrained(
    MODEL_ID,
    revision=MODEL_REVISION,
    use_safetensors=True,
    trust_remote_code=False,
)

# A small head we trained ourselves; tensors only, no pickled objects.
state = torch.load("artifacts/domain_head.pt", map_location="cpu", weights_only=True)
model.load_state_dict(state, strict=False)

summariser = pipeline(
    "summarization",
    model=model,
    tokenizer=tokenizer,
    max_new_tokens=160,
    truncation=True,
)
llm = HuggingFacePipeline(pipeline=summariser)
prompt = PromptTemplate.from_template("{article}")
chain = prompt | llm


def summarise(article: str) -> str:
    return chain.invoke({"article": article[:8000]})


if __name__ == "__main__":
    import sys

    print(summarise(sys.stdin.read()))
