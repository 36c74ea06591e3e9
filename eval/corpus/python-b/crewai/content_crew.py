"""Weekly blog crew for the VitaBoost supplements shop; posts go to the editors as drafts."""
import os

import requests
from crewai import Agent, Crew, Process, Task
from crewai_tools import SerperDevTool

WP_URL = "https://blog.vitaboost.example/wp-json/wp/v2/posts"
EDITOR_USER_ID = 7

researcher = Agent(
    role="Health Trends Researcher",
    goal="Find reputable sources about {product}",
    backstory="You prefer peer-reviewed studies and official health agencies, and you record every URL.",
    tools=[SerperDevTool()],
    verbose=True,
)

writer = Agent(
    role="Health Copywriter",
    goal="Write accurate, engaging blog posts about {product}",
    backstory="You only make claims that the research notes support, and you cite them.",
    verbose=True,
)

research_task = Task(
    description="Collect sources about {product}. For each claim, include the source URL.",
    expected_output="A list of claims with source URLs.",
    agent=researcher,
)

write_task = Task(
    description=("Write a 700-word blog post about {product} using only the sourced claims. "
                 "Cite sources inline and mark any claim you could not source with [NEEDS SOURCE]."),
    expected_output="A blog post in HTML with a title on the first line.",
    agent=writer,
)

crew = Crew(agents=[researcher, writer], tasks=[research_task, write_task], process=Process.sequential)


def draft_weekly_post(product: str) -> int:
    result = crew.kickoff(inputs={"product": product})
    title, _, body = result.raw.partition("\n")
    resp = requests.post(
        WP_URL,
        auth=("crew-bot", os.environ["WP_APP_PASSWORD"]),
        json={"title": title.strip(), "content": body, "status": "pending", "author": EDITOR_USER_ID},
        timeout=30,
    )
    resp.raise_for_status()
    return resp.json()["id"]


if __name__ == "__main__":
    print("draft waiting for editorial review:", draft_weekly_post("VitaBoost Omega-3 capsules"))
