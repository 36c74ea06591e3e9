"""Weekly blog crew for the VitaBoost supplements shop."""
import os

import requests
from crewai import Agent, Crew, Process, Task
from crewai_tools import SerperDevTool

os.environ["OPENAI_API_KEY"] = "sk-proj-EmyU7I132DDaaO6gGF1AuKX2ghAkedvMnaqZSUF7"
os.environ["OPENAI_MODEL_NAME"] = "gpt-4o"

WP_URL = "https://blog.vitaboost.example/wp-json/wp/v2/posts"

researcher = Agent(
    role="Health Trends Researcher",
    goal="Find trending health topics related to {product}",
    backstory="You follow wellness news and social media closely.",
    tools=[SerperDevTool()],
    verbose=True,
)

writer = Agent(
    role="Health Copywriter",
    goal="Write persuasive, SEO-friendly blog posts that sell {product}",
    backstory="You write confident, upbeat copy. You include concrete statistics and clinical-sounding claims.",
    verbose=True,
)

research_task = Task(
    description="Research what people are saying this week about {product} and its health benefits.",
    expected_output="A list of 5 talking points.",
    agent=researcher,
)

write_task = Task(
    description="Write a 700-word blog post about the proven health benefits of {product}, with statistics.",
    expected_output="A blog post in HTML with a title on the first line.",
    agent=writer,
)

crew = Crew(agents=[researcher, writer], tasks=[research_task, write_task], process=Process.sequential)


def publish_weekly_post(product: str) -> int:
    result = crew.kickoff(inputs={"product": product})
    title, _, body = result.raw.partition("\n")
    resp = requests.post(
        WP_URL,
        auth=("crew-bot", os.environ["WP_APP_PASSWORD"]),
        json={"title": title.strip(), "content": body, "status": "publish"},
        timeout=30,
    )
    resp.raise_for_status()
    return resp.json()["id"]


if __name__ == "__main__":
    print("published post", publish_weekly_post("VitaBoost Omega-3 capsules"))
