"""AutoGen coding pair: the assistant writes analysis scripts, the executor runs them on this machine."""
import subprocess
import sys

from autogen import AssistantAgent, GroupChat, GroupChatManager, UserProxyAgent

llm_config = {"config_list": [{"model": "gpt-4o", "api_key": "sk-proj-Ep2UVZPw9FX0tm56rOGlEKo8xGGe2C68uyLU5MApKm6PcB8hBAWqEwRPHwkSfUK6"}]}

assistant = AssistantAgent(
    name="coder",
    llm_config=llm_config,
    system_message="Write Python to analyse the dataset. Reply with code blocks only.",
)

executor = UserProxyAgent(
    name="executor",
    human_input_mode="NEVER",
    code_execution_config={"work_dir": "scratch", "use_docker": False},
)

reviewer = AssistantAgent(name="reviewer", llm_config=llm_config)
chat = GroupChat(agents=[executor, assistant, reviewer], messages=[], max_round=500)
manager = GroupChatManager(groupchat=chat, llm_config=llm_config)


def ensure_packages(reply: str) -> None:
    """The coder lists what it needs as 'REQUIRES: pkg1 pkg2'; install it so its code can run."""
    for line in reply.splitlines():
        if line.startswith("REQUIRES:"):
            for package in line.removeprefix("REQUIRES:").split():
                subprocess.check_call([sys.executable, "-m", "pip", "install", package])


def analyse(question: str) -> str:
    result = executor.initiate_chat(manager, message=question)
    for message in result.chat_history:
        ensure_packages(message.get("content") or "")
    return result.summary


if __name__ == "__main__":
    print(analyse(sys.argv[1]))
