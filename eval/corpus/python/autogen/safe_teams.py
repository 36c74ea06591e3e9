"""Writer/critic team with explicit termination conditions."""
import asyncio
import os

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_agentchat.ui import Console
from autogen_ext.models.openai import OpenAIChatCompletionClient

client = OpenAIChatCompletionClient(
    model="gpt-4o-mini",
    api_key=os.environ["OPENAI_API_KEY"],
    max_tokens=800,
    timeout=60,
)

writer = AssistantAgent("writer", model_client=client, system_message="Draft a short product announcement.")
critic = AssistantAgent(
    "critic",
    model_client=client,
    system_message="Critique the draft. Say APPROVE when it is ready to hand to the marketing lead.",
)

termination = TextMentionTermination("APPROVE") | MaxMessageTermination(max_messages=12)
team = RoundRobinGroupChat([writer, critic], termination_condition=termination, max_turns=12)


async def main(brief: str) -> None:
    await Console(team.run_stream(task=f"Announcement brief: {brief}"))
    await client.close()


if __name__ == "__main__":
    asyncio.run(main(input("brief: ")[:1000]))
