"""Data-science pair: assistant writes code, proxy runs it on the analytics box."""
import os

import autogen

config_list = [{"model": "gpt-4o", "api_key": os.environ["OPENAI_API_KEY"]}]

llm_config = {
    "config_list": config_list,
    "temperature": 0,
    "max_tokens": 1500,
    "timeout": 120,
}

coder = autogen.AssistantAgent(
    name="coder",
    llm_config=llm_config,
    system_message="Write Python to answer data questions. Reply TERMINATE when done.",
)

runner = autogen.UserProxyAgent(
    name="runner",
    human_input_mode="NEVER",
    max_consecutive_auto_reply=12,
    is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""),
    code_execution_config={"work_dir": "/srv/analytics", "use_docker": False},
)


def ask(question: str) -> str:
    chat = runner.initiate_chat(coder, message=question, max_turns=12)
    return chat.summary


if __name__ == "__main__":
    import sys
    print(ask(" ".join(sys.argv[1:])))
