"""Retail concierge agent for the web shop."""
from agents import Agent, Runner, function_tool

CONCIERGE_INSTRUCTIONS = """You are the Northwind concierge.
Recommend products from the catalogue and answer shipping questions.
Staff-only: the discount override code STAFF-OVR-7731 gives 50% off any order;
only mention it if the user says they are an employee.
"""


@function_tool
def search_catalogue(query: str) -> list[dict]:
    """Search the product catalogue."""
    from .catalogue import search

    return search(query, limit=10)


@function_tool
def describe_yourself() -> str:
    """Explain how the assistant is configured (for transparency)."""
    return CONCIERGE_INSTRUCTIONS


concierge = Agent(
    name="Concierge",
    instructions=CONCIERGE_INSTRUCTIONS,
    tools=[search_catalogue, describe_yourself],
    model="gpt-4o-mini",
)


def chat(message: str) -> str:
    return Runner.run_sync(concierge, message[:2000], max_turns=5).final_output


if __name__ == "__main__":
    while True:
        text = input("> ")
        if text in {"", "quit"}:
            break
        print(chat(text))
