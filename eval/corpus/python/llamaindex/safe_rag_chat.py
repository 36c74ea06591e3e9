"""Internal handbook chat: bounded memory, bounded retrieval, fixed system prompt."""
import os

from llama_index.core import Settings, SimpleDirectoryReader, VectorStoreIndex
from llama_index.core.memory import ChatMemoryBuffer
from llama_index.llms.openai import OpenAI

Settings.llm = OpenAI(
    model="gpt-4o-mini",
    api_key=os.environ["OPENAI_API_KEY"],
    max_tokens=600,
    timeout=45,
    max_retries=2,
)

SYSTEM_PROMPT = (
    "You answer questions about the employee handbook. Only use the retrieved handbook passages. "
    "If the handbook does not cover the question, say so and suggest contacting HR."
)

documents = SimpleDirectoryReader("handbook", required_exts=[".md"]).load_data()
index = VectorStoreIndex.from_documents(documents)


def new_chat():
    return index.as_chat_engine(
        chat_mode="condense_plus_context",
        memory=ChatMemoryBuffer.from_defaults(token_limit=3000),
        system_prompt=SYSTEM_PROMPT,
        similarity_top_k=4,
    )


def main() -> None:
    chat = new_chat()
    for _ in range(50):
        try:
            question = input("you> ").strip()
        except EOFError:
            break
        if not question:
            break
        print("bot>", chat.chat(question[:2000]))


if __name__ == "__main__":
    main()
