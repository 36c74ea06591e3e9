"""Read-only travel agent: search flights and check weather, bounded execution."""
import os

import httpx
from langchain.agents import AgentExecutor, create_tool_calling_agent
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI

HTTP = httpx.Client(timeout=10.0)
FLIGHTS_API = "https://api.flights.example.com/v2/search"


@tool
def search_flights(origin: str, destination: str, date: str) -> str:
    """Search flights between two IATA airport codes on a date (YYYY-MM-DD)."""
    r = HTTP.get(
        FLIGHTS_API,
        params={"from": origin[:3], "to": destination[:3], "date": date[:10]},
        headers={"Authorization": f"Bearer {os.environ['FLIGHTS_TOKEN']}"},
    )
    r.raise_for_status()
    return r.text[:4000]


@tool
def weather(city: str) -> str:
    """Three-day forecast for a city."""
    r = HTTP.get("https://api.open-meteo.com/v1/forecast", params={"city": city[:80], "days": 3})
    return r.text[:2000]


prompt = ChatPromptTemplate.from_messages(
    [
        ("system", "You help travellers plan trips. You can only search; you cannot book."),
        ("human", "{input}"),
        ("placeholder", "{agent_scratchpad}"),
    ]
)
llm = ChatOpenAI(model="gpt-4o-mini", temperature=0, max_tokens=800, timeout=30)
agent = create_tool_calling_agent(llm, [search_flights, weather], prompt)
executor = AgentExecutor(
    agent=agent,
    tools=[search_flights, weather],
    max_iterations=6,
    max_execution_time=60,
    handle_parsing_errors=True,
)


def plan_trip(request: str) -> str:
    return executor.invoke({"input": request[:2000]})["output"]
