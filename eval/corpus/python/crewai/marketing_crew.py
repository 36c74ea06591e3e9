"""Self-serve content crew: customers describe their brand, we write and publish a blog post."""
import os

import requests
from crewai import Agent, Crew, Task

from .accounts import Account

WP_API = os.environ["WP_API_URL"]
WP_TOKEN = os.environ["WP_TOKEN"]


def publish_to_wordpress(title: str, html: str) -> int:
    r = requests.post(
        f"{WP_API}/wp-json/wp/v2/posts",
        headers={"Authorization": f"Bearer {WP_TOKEN}"},
        json={"title": title, "content": html, "status": "publish"},
        timeout=30,
    )
    r.raise_for_status()
    return r.json()["id"]


def build_crew(account: Account) -> Crew:
    writer = Agent(
        role="Brand copywriter",
        goal="Write engaging, accurate blog posts for the customer's brand",
        backstory=f"You write for {account.company_name}. Brand brief from the customer: {account.brand_brief}",
        max_iter=5,
    )
    post = Task(
        description="Write a 600-word blog post about {topic}, with statistics to back up claims.",
        expected_output="An HTML blog post starting with an <h1> title.",
        agent=writer,
    )
    return Crew(agents=[writer], tasks=[post])


def weekly_post(account: Account, topic: str) -> int:
    result = build_crew(account).kickoff(inputs={"topic": topic})
    html = result.raw
    title = html.split("</h1>", 1)[0].replace("<h1>", "").strip() or topic
    return publish_to_wordpress(title, html)
