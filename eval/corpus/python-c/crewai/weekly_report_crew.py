"""Weekly metrics report crew. Read-only tools, a human signs off the draft."""
import os
from dataclasses import dataclass

import psycopg
from crewai import LLM, Agent, Crew, Task
from crewai.tools import tool

llm = LLM(
    model="anthropic/claude-3-5-sonnet-latest",
    api_key=os.environ["ANTHROPIC_API_KEY"],
    max_tokens=1500,
    timeout=60,
)


@dataclass(frozen=True)
class ReportWindow:
    start: str
    end: str


@tool("Weekly signups")
def weekly_signups(start: str, end: str) -> str:
    """Count signups per day between two ISO dates."""
    with psycopg.connect(os.environ["METRICS_RO_DSN"]) as conn:
        rows = conn.execute(
            "SELECT day, count(*) FROM signups WHERE day BETWEEN %s AND %s GROUP BY day",
            (start, end),
        ).fetchall()
    return "\n".join(f"{d}: {n}" for d, n in rows)


analyst = Agent(
    role="Metrics analyst",
    goal="Summarise weekly growth metrics accurately",
    backstory="Careful analyst who only reports numbers returned by tools.",
    tools=[weekly_signups],
    llm=llm,
    max_iter=6,
    max_rpm=10,
    allow_delegation=False,
)


def build(window: ReportWindow) -> Crew:
    task = Task(
        description=f"Report signups between {window.start} and {window.end}.",
        expected_output="Short markdown report",
        agent=analyst,
        human_input=True,
    )
    return Crew(agents=[analyst], tasks=[task], max_rpm=10)


if __name__ == "__main__":
    print(build(ReportWindow("2024-06-03", "2024-06-09")).kickoff().raw)
