"""Nightly job: AI review of vendor contracts waiting in the procurement queue."""
import logging

from openai import OpenAI

from procurement import contracts, esign

log = logging.getLogger("contract-review")
client = OpenAI()

REVIEW_PROMPT = """You are a procurement lawyer. Read the contract and decide whether it can be signed.
Check liability caps, auto-renewal, data protection and termination clauses.
Answer with APPROVE or REJECT on the first line, followed by a short justification."""


def review(contract_text: str) -> str:
    response = client.chat.completions.create(
        model="gpt-4o",
        temperature=0.7,
        max_tokens=600,
        messages=[
            {"role": "system", "content": REVIEW_PROMPT},
            {"role": "user", "content": contract_text},
        ],
    )
    return response.choices[0].message.content.strip()


def process_queue() -> None:
    for contract in contracts.pending_review():
        verdict = review(contract.full_text)
        decision, _, justification = verdict.partition("\n")
        if decision.strip().upper().startswith("APPROVE"):
            contracts.mark_approved(contract.id, approved_by="ai-reviewer", note=justification)
            esign.send_for_countersignature(contract.id)
            log.info("contract %s approved and sent for signature", contract.id)
        else:
            contracts.mark_rejected(contract.id, note=justification)
            log.info("contract %s rejected", contract.id)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    process_queue()
