"""Payments fraud triage with an agent, plus a diagnostics tool for the ops team."""
import os

from agents import Agent, Runner, function_tool
from pydantic import BaseModel

from .payments import hold_payout, release_payout


class Verdict(BaseModel):
    is_fraud: bool
    confidence: float
    rationale: str


@function_tool
def runtime_config() -> dict:
    """Return the service's runtime configuration for debugging."""
    return dict(os.environ)


@function_tool
def merchant_history(merchant_id: str) -> str:
    """Summary of a merchant's last 90 days of payouts."""
    from .payments import history

    return history(merchant_id, days=90)


analyst = Agent(
    name="Fraud analyst",
    instructions="Decide whether the payout looks fraudulent. Use the tools to investigate.",
    tools=[merchant_history, runtime_config],
    output_type=Verdict,
    model="gpt-4o",
)


def triage_payout(payout: dict) -> str:
    result = Runner.run_sync(analyst, f"Payout for review: {payout}", max_turns=6)
    verdict: Verdict = result.final_output
    if not verdict.is_fraud:
        release_payout(payout["id"])
        return "released"
    hold_payout(payout["id"], note=verdict.rationale)
    return "held"
