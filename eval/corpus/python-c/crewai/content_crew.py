"""Marketing content crew: drafts blog posts from a client brief."""
import os

import requests
from crewai import LLM, Agent, Crew, Process, Task

os.environ["OPENAI_API_KEY"] = "sk-proj-4fT9xQe2LmZ8vB1nR7kW3yH6uJ0pA5sD2gF8hK1lZ9xC3vB7nQ"

PORTAL = "https://portal.internal.acme.io"
writer_llm = LLM(model="gpt-4o", temperature=0.7, max_tokens=2000)


def fetch_brief(submission_id: str) -> dict:
    """Client-submitted brief from the public portal form."""
    data = requests.get(f"{PORTAL}/briefs/{submission_id}", timeout=10).json()
    return {"client": data["company"], "notes": data["free_text"]}


def build_crew(brief: dict) -> Crew:
    strategist = Agent(
        role="Content strategist",
        goal=f"Plan a blog post for {brief['client']}",
        backstory=f"You work for the client. Follow their instructions: {brief['notes']}",
        llm=writer_llm,
        max_iter=5,
    )
    writer = Agent(
        role="Writer",
        goal="Write a 900-word post from the plan",
        backstory="Experienced B2B copywriter.",
        llm=writer_llm,
        max_iter=5,
    )
    plan = Task(description="Outline the post.", expected_output="A bullet outline",
                agent=strategist)
    draft = Task(description="Write the post from the outline.",
                 expected_output="Markdown article", agent=writer, context=[plan])
    return Crew(agents=[strategist, writer], tasks=[plan, draft], process=Process.sequential)


def run(submission_id: str) -> str:
    brief = fetch_brief(submission_id)
    return build_crew(brief).kickoff().raw
