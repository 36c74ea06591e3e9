"""Local coding helper: the assistant proposes code, a developer approves each run in Docker."""
import os
import sys

from autogen import AssistantAgent, UserProxyAgent
from autogen.coding import DockerCommandLineCodeExecutor

llm_config = {
    "config_list": [{"model": "gpt-4o", "api_key": os.environ["OPENAI_API_KEY"]}],
    "temperature": 0,
    "max_tokens": 1500,
}


def main(task: str) -> None:
    executor = DockerCommandLineCodeExecutor(
        image="python:3.12-slim",
        timeout=60,
        work_dir="sandbox",
    )
    assistant = AssistantAgent(
        name="coder",
        system_message="You write small Python scripts to solve the task. Reply TERMINATE when done.",
        llm_config=llm_config,
    )
    developer = UserProxyAgent(
        name="developer",
        human_input_mode="ALWAYS",
        max_consecutive_auto_reply=5,
        code_execution_config={"executor": executor},
        is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""),
    )
    try:
        developer.initiate_chat(assistant, message=task, max_turns=10)
    finally:
        executor.stop()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: sandboxed_coder.py 'task description'")
    main(" ".join(sys.argv[1:]))
