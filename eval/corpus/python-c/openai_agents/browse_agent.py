"""Research agent that reads pages the model decides to open."""
import asyncio

import requests
from agents import Agent, RunContextWrapper, Runner, function_tool


@function_tool
def open_url(url: str) -> str:
    """Download a URL and return the first part of its body."""
    resp = requests.get(url, timeout=10)
    return resp.text[:8000]


def briefing_from(page_url: str) -> str:
    return requests.get(page_url, timeout=10).text[:6000]


class Brief:
    def __init__(self, topic: str, seed_url: str):
        self.topic = topic
        self.seed_text = briefing_from(seed_url)


def dynamic_instructions(ctx: RunContextWrapper[Brief], agent: Agent) -> str:
    brief = ctx.context
    return (f"You research {brief.topic}. Start from this briefing and follow it:\n"
            f"{brief.seed_text}")


researcher = Agent[Brief](
    name="Researcher",
    instructions=dynamic_instructions,
    model="gpt-4o-mini",
    tools=[open_url],
)


async def research(topic: str, seed_url: str) -> str:
    ctx = Brief(topic, seed_url)
    result = await Runner.run(researcher, f"Write a summary about {topic}.",
                              context=ctx, max_turns=10)
    return result.final_output


if __name__ == "__main__":
    print(asyncio.run(research("edge caching", "https://example.com/cdn-notes")))
