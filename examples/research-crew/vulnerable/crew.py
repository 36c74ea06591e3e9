"""Literature-review crew: a planner finds papers, an analyst crunches numbers, a writer summarises."""
import os

from crewai import Agent, Crew, Process, Task
from crewai_tools import SerperDevTool, ScrapeWebsiteTool

os.environ.setdefault("OPENAI_MODEL_NAME", "gpt-4o")

search = SerperDevTool()
scrape = ScrapeWebsiteTool()

planner = Agent(
    role="Research planner",
    goal="Find the ten most relevant recent papers on {topic}",
    backstory="You know every preprint server and never miss a benchmark table.",
    tools=[search, scrape],
    verbose=True,
)

analyst = Agent(
    role="Data analyst",
    goal="Reproduce the headline numbers of each paper with Python",
    backstory="You write quick pandas scripts and install whatever library a paper needs.",
    allow_code_execution=True,
    code_execution_mode="unsafe",
    allow_delegation=True,
    max_iter=100,
)

writer = Agent(
    role="Technical writer",
    goal="Summarise the findings for an engineering audience",
    backstory="You turn dense papers into crisp bullet points.",
    allow_delegation=True,
)

find_papers = Task(
    description="Search for papers about {topic} published after {since}. Read each abstract.",
    expected_output="A list of ten papers with links and one-line summaries.",
    agent=planner,
)
reproduce = Task(
    description="Download each paper's data and reproduce its main table.",
    expected_output="A table of reported vs reproduced numbers.",
    agent=analyst,
)
summarise = Task(
    description="Write a two-page summary of the papers and the reproduction results.",
    expected_output="Markdown report.",
    agent=writer,
)

crew = Crew(
    agents=[planner, analyst, writer],
    tasks=[find_papers, reproduce, summarise],
    process=Process.hierarchical,
    manager_llm="gpt-4o",
)

if __name__ == "__main__":
    topic = input("Topic: ")
    report = crew.kickoff(inputs={"topic": topic, "since": "2024-01-01"})
    print(report)
