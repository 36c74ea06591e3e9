"""Code-writing pair where execution happens in Docker and a human approves each run."""
import os

from autogen import AssistantAgent, UserProxyAgent
from autogen.coding import DockerCommandLineCodeExecutor

executor = DockerCommandLineCodeExecutor(
    image="python:3.12-slim",
    timeout=60,
    work_dir="sandbox",
    auto_remove=True,
)

assistant = AssistantAgent(
    "assistant",
    llm_config={
        "config_list": [{"model": "gpt-4o", "api_key": os.environ["OPENAI_API_KEY"]}],
        "max_tokens": 1500,
        "timeout": 90,
    },
)

user_proxy = UserProxyAgent(
    "user_proxy",
    human_input_mode="ALWAYS",
    code_execution_config={"executor": executor},
    max_consecutive_auto_reply=5,
)


def main() -> None:
    try:
        user_proxy.initiate_chat(assistant, message=input("task: "), max_turns=10)
    finally:
        executor.stop()


if __name__ == "__main__":
    main()
