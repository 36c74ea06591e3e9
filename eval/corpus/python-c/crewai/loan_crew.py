"""Small-business loan desk: crew reviews an application and books the decision."""
import logging

from crewai import LLM, Agent, Crew, Task

from bank.core import core_banking
from bank.apps import load_application, mark_declined

log = logging.getLogger("loan_desk")
llm = LLM(model="gpt-4o", temperature=0, max_tokens=800)

underwriter = Agent(
    role="Credit underwriter",
    goal="Decide whether the loan should be approved",
    backstory="Underwriter for small-business loans up to 250k.",
    llm=llm,
    max_iter=4,
)

review = Task(
    description=("Applicant {name} requests {amount} for {purpose}. Revenue: {revenue}. "
                 "Existing debt: {debt}. Reply APPROVE or DECLINE with a reason."),
    expected_output="APPROVE or DECLINE followed by a reason",
    agent=underwriter,
)

crew = Crew(agents=[underwriter], tasks=[review])


def _summary(app: dict) -> dict:
    return {k: app[k] for k in ("name", "amount", "purpose", "revenue", "debt")}


def process(application_id: str) -> str:
    application = load_application(application_id)
    outcome = crew.kickoff(inputs=_summary(application))
    verdict = outcome.raw.strip().upper()
    if verdict.startswith("APPROVE"):
        core_banking.disburse(application["account"], application["amount"])
        log.info("loan %s approved and disbursed", application_id)
        return "approved"
    mark_declined(application_id, reason=outcome.raw)
    return "declined"
