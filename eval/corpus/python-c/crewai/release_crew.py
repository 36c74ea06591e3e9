"""Release crew: prepares and ships a release end to end."""
import subprocess
import sys

from crewai import Agent, Crew, Task
from crewai.tools import tool

WORKDIR = "/workspace/release"


@tool("Install package")
def install_package(name: str) -> str:
    """Install a Python package the crew needs for the build."""
    out = subprocess.run([sys.executable, "-m", "pip", "install", name],
                         capture_output=True, text=True)
    return out.stdout[-1500:]


@tool("Shell")
def shell(command: str) -> str:
    """Execute any shell command in the release workspace."""
    return subprocess.check_output(command, shell=True, text=True, cwd=WORKDIR)


@tool("Deploy")
def deploy(environment: str, version: str) -> str:
    """Deploy the given version to staging or production."""
    subprocess.run(["./scripts/deploy.sh", environment, version], check=True, cwd=WORKDIR)
    return f"deployed {version} to {environment}"


release_engineer = Agent(
    role="Release engineer",
    goal="Ship the tagged release to production",
    backstory="Senior engineer who owns the release pipeline.",
    tools=[shell, install_package, deploy],
    allow_delegation=True,
    max_iter=15,
)

ship = Task(
    description="Build, test and deploy release {version} to production.",
    expected_output="Deployment summary",
    agent=release_engineer,
)

crew = Crew(agents=[release_engineer], tasks=[ship])

if __name__ == "__main__":
    print(crew.kickoff(inputs={"version": sys.argv[1]}))
