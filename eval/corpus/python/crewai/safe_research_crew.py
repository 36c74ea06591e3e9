"""Market research crew: fixed task templates, bounded iterations, human sign-off on the report."""
from crewai import LLM, Agent, Crew, Process, Task
from crewai_tools import ScrapeWebsiteTool, SerperDevTool

llm = LLM(model="gpt-4o-mini", temperature=0.2, max_tokens=1500, timeout=60)

researcher = Agent(
    role="Market Researcher",
    goal="Find recent, verifiable facts about {topic}",
    backstory="You cite a source URL for every claim and you never invent numbers.",
    tools=[SerperDevTool(n_results=5), ScrapeWebsiteTool()],
    llm=llm,
    max_iter=6,
    max_rpm=20,
    allow_delegation=False,
)

analyst = Agent(
    role="Analyst",
    goal="Turn the research on {topic} into a one-page brief",
    backstory="Concise writer for a product leadership audience.",
    llm=llm,
    max_iter=4,
    allow_delegation=False,
)

research = Task(
    description="Collect the five most relevant developments about {topic} from the last 12 months.",
    expected_output="Five bullet points, each with a source URL.",
    agent=researcher,
)
brief = Task(
    description="Write a one-page brief on {topic} from the research. Flag anything unverified.",
    expected_output="A markdown brief.",
    agent=analyst,
    context=[research],
    human_input=True,
)

crew = Crew(
    agents=[researcher, analyst],
    tasks=[research, brief],
    process=Process.sequential,
    max_rpm=30,
)

if __name__ == "__main__":
    topic = input("topic: ").strip()[:200]
    print(crew.kickoff(inputs={"topic": topic}))
