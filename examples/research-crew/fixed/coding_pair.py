"""AutoGen coding pair: the assistant writes analysis scripts, the executor runs them in Docker."""
import os
import sys

from autogen import AssistantAgent, GroupChat, GroupChatManager, UserProxyAgent

llm_config = {
    "config_list": [{"model": "gpt-4o", "api_key": os.environ["OPENAI_API_KEY"]}],
    "max_tokens": 2000,
}


def is_done(message: dict) -> bool:
    return "TERMINATE" in (message.get("content") or "")


assistant = AssistantAgent(
    name="coder",
    llm_config=llm_config,
    system_message=(
        "Write Python to analyse the dataset using only pandas, numpy and scipy, which are installed. "
        "Reply TERMINATE when the analysis is complete."
    ),
    is_termination_msg=is_done,
    max_consecutive_auto_reply=10,
)

executor = UserProxyAgent(
    name="executor",
    human_input_mode="TERMINATE",
    is_termination_msg=is_done,
    max_consecutive_auto_reply=10,
    code_execution_config={
        "work_dir": "scratch",
        "use_docker": "python:3.12-slim",
        "timeout": 120,
        "last_n_messages": 1,
    },
)

reviewer = AssistantAgent(name="reviewer", llm_config=llm_config, max_consecutive_auto_reply=5)
chat = GroupChat(agents=[executor, assistant, reviewer], messages=[], max_round=20)
manager = GroupChatManager(groupchat=chat, llm_config=llm_config, is_termination_msg=is_done)


def analyse(question: str) -> str:
    result = executor.initiate_chat(manager, message=question[:4000], max_turns=10)
    return result.summary


if __name__ == "__main__":
    print(analyse(sys.argv[1]))
