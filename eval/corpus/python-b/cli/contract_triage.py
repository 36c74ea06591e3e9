"""Nightly job: AI pre-screening of vendor contracts before a lawyer reviews them."""
import json
import logging

from openai import OpenAI

from procurement import contracts, legal_queue

log = logging.getLogger("contract-triage")
client = OpenAI()

TRIAGE_PROMPT = """You pre-screen contracts for a procurement lawyer.
Look at liability caps, auto-renewal, data protection and termination clauses.
Return JSON: {"risks": [{"clause": <clause number>, "quote": <exact text>, "issue": <why it matters>}]}.
Only report clauses you can quote verbatim. If you are unsure, say so in "issue"."""


def screen(contract_text: str) -> list[dict]:
    response = client.chat.completions.create(
        model="gpt-4o",
        temperature=0,
        max_tokens=1200,
        response_format={"type": "json_object"},
        messages=[
            {"role": "system", "content": TRIAGE_PROMPT},
            {"role": "user", "content": contract_text},
        ],
    )
    risks = json.loads(response.choices[0].message.content).get("risks", [])
    # Drop anything the model could not ground in the actual contract text.
    return [r for r in risks if r.get("quote") and r["quote"] in contract_text]


def process_queue() -> None:
    for contract in contracts.pending_review():
        risks = screen(contract.full_text)
        legal_queue.assign(
            contract.id,
            reviewer_group="procurement-legal",
            notes={"ai_flagged_risks": risks, "disclaimer": "AI pre-screen; a lawyer makes the decision."},
        )
        log.info("contract %s queued for legal review with %d flagged clauses", contract.id, len(risks))


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    process_queue()
