"""Nightly dependency-bump bot: a crew writes the patch, a reviewer agent approves it."""
import subprocess

from crewai import Agent, Crew, Task

from .github import merge_pull_request, open_pull_request

fixer = Agent(
    role="Maintainer",
    goal="Produce a unified diff that upgrades outdated dependencies without breaking the build",
    backstory="Careful maintainer of a large Python monorepo.",
)
reviewer = Agent(
    role="Release Reviewer",
    goal="Decide whether a dependency-upgrade diff is safe to merge",
    backstory="You answer APPROVED or CHANGES_REQUESTED followed by your reasoning.",
)


def outdated() -> str:
    return subprocess.run(["pip", "list", "--outdated"], capture_output=True, text=True, check=False).stdout


def nightly() -> None:
    feedback = ""
    done = False
    while not done:
        patch = Crew(
            agents=[fixer],
            tasks=[Task(description="Outdated packages:\n{outdated}\nPrevious review: {feedback}",
                        expected_output="A unified diff.", agent=fixer)],
        ).kickoff(inputs={"outdated": outdated(), "feedback": feedback}).raw
        verdict = Crew(
            agents=[reviewer],
            tasks=[Task(description="Review this diff:\n{patch}", expected_output="Verdict.", agent=reviewer)],
        ).kickoff(inputs={"patch": patch}).raw
        feedback = verdict
        done = verdict.strip().upper().startswith("APPROVED")

    pr = open_pull_request(title="chore: nightly dependency bumps", diff=patch)
    if "APPROVED" in verdict:
        merge_pull_request(pr)


if __name__ == "__main__":
    nightly()
