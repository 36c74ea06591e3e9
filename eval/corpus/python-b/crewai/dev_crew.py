"""Crew that picks up GitHub issues labelled 'ai-fix' and tries to reproduce and fix them."""
import os

from crewai import Agent, Crew, Task
from github import Github

gh = Github(os.environ["GITHUB_TOKEN"])
repo = gh.get_repo("acme/billing-service")

developer = Agent(
    role="Senior Python Developer",
    goal="Reproduce the reported bug and write a fix",
    backstory="You are a pragmatic engineer who runs code to check your assumptions.",
    allow_code_execution=True,
    code_execution_mode="unsafe",
    allow_delegation=False,
    verbose=True,
)

reviewer = Agent(
    role="Code Reviewer",
    goal="Review the proposed fix for correctness",
    backstory="You are strict about tests and edge cases.",
    verbose=True,
)


def fix_issue(issue) -> str:
    reproduce = Task(
        description=f"Reproduce this bug by writing and running a script.\n\nTitle: {issue.title}\n\n{issue.body}",
        expected_output="The script you ran and its output.",
        agent=developer,
    )
    patch = Task(
        description="Write a patch that fixes the bug and explain it.",
        expected_output="A unified diff and a short explanation.",
        agent=developer,
    )
    review = Task(description="Review the patch.", expected_output="Approve or request changes.", agent=reviewer)
    crew = Crew(agents=[developer, reviewer], tasks=[reproduce, patch, review])
    return crew.kickoff().raw


if __name__ == "__main__":
    for issue in repo.get_issues(state="open", labels=["ai-fix"]):
        report = fix_issue(issue)
        issue.create_comment("Automated analysis:\n\n" + report)
