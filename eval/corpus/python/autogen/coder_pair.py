"""Classic AutoGen pair: an assistant writes code and a user proxy executes it."""
import os

import autogen

config_list = [{"model": "gpt-4o", "api_key": os.environ["OPENAI_API_KEY"]}]
llm_config = {"config_list": config_list, "temperature": 0, "timeout": 120}

assistant = autogen.AssistantAgent(
    name="assistant",
    llm_config=llm_config,
    system_message="You are a helpful AI assistant. Solve tasks with Python or shell code. "
    "Reply TERMINATE when the task is done.",
)

executor = autogen.UserProxyAgent(
    name="executor",
    human_input_mode="NEVER",
    code_execution_config={"work_dir": "workspace", "use_docker": False},
    max_consecutive_auto_reply=10,
    is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""),
)


def solve(task: str) -> str:
    chat = executor.initiate_chat(assistant, message=task, summary_method="last_msg")
    return chat.summary


if __name__ == "__main__":
    import sys

    print(solve(" ".join(sys.argv[1:]) or "Plot NVDA and TSLA stock price YTD and save to chart.png"))
