"""A two-agent crew that prototypes small utilities and tests them."""
import os

from crewai import Agent, Crew, Process, Task
from crewai_tools import SerperDevTool

os.environ["SERPER_API_KEY"] = "4c1f0b7e9a2d48f3b6e1c5a7d9f20e3b8a6c4d2e"
os.environ.setdefault("OPENAI_MODEL_NAME", "gpt-4o")

search = SerperDevTool()

engineer = Agent(
    role="Senior Python Engineer",
    allow_code_execution=True, code_execution_mode="unsafe",
    goal="Write and run working Python code for the requested utility",
    backstory="You have shipped dozens of CLI tools and you always run your code before handing it over.",
    tools=[search],
    max_iter=15,
    verbose=True,
)

reviewer = Agent(
    role="Code Reviewer",
    goal="Review the engineer's code for bugs and readability",
    backstory="Pragmatic reviewer who prefers small, tested functions.",
    max_iter=5,
)

build = Task(
    description="Build this utility: {spec}. Run it on a sample input to prove it works.",
    expected_output="The final Python source and the output of a sample run.",
    agent=engineer,
)
review = Task(
    description="Review the code produced for: {spec}.",
    expected_output="A list of concrete review comments.",
    agent=reviewer,
    context=[build],
)

crew = Crew(agents=[engineer, reviewer], tasks=[build, review], process=Process.sequential)

if __name__ == "__main__":
    import sys

    print(crew.kickoff(inputs={"spec": " ".join(sys.argv[1:])}))
