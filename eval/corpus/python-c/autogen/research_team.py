"""Literature-summary team: writer and critic agents, no code execution."""
import os
from dataclasses import dataclass, field

from autogen import AssistantAgent, GroupChat, GroupChatManager, UserProxyAgent

MAX_ROUNDS = 8


@dataclass
class TeamConfig:
    model: str = "gpt-4o-mini"
    max_tokens: int = 800
    timeout: int = 60
    extra: dict = field(default_factory=dict)

    def llm_config(self) -> dict:
        return {
            "config_list": [{"model": self.model, "api_key": os.environ["OPENAI_API_KEY"]}],
            "max_tokens": self.max_tokens,
            "timeout": self.timeout,
            **self.extra,
        }


def build_team(cfg: TeamConfig) -> tuple[UserProxyAgent, GroupChatManager]:
    llm_config = cfg.llm_config()
    writer = AssistantAgent("writer", llm_config=llm_config,
                            system_message="Summarise the supplied abstracts faithfully.")
    critic = AssistantAgent("critic", llm_config=llm_config,
                            system_message="Check the summary against the abstracts. "
                                           "Say APPROVED when it is accurate.")
    host = UserProxyAgent("host", human_input_mode="NEVER", code_execution_config=False,
                          max_consecutive_auto_reply=2,
                          is_termination_msg=lambda m: "APPROVED" in (m.get("content") or ""))
    chat = GroupChat(agents=[host, writer, critic], messages=[], max_round=MAX_ROUNDS)
    return host, GroupChatManager(groupchat=chat, llm_config=llm_config)


def summarise(abstracts: list[str]) -> str:
    host, manager = build_team(TeamConfig())
    joined = "\n\n".join(f"<abstract>{a}</abstract>" for a in abstracts[:20])
    result = host.initiate_chat(manager, message=f"Summarise these abstracts:\n{joined}")
    return result.summary
