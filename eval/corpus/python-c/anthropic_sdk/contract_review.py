"""Reviews inbound vendor contracts and e-signs the low-risk ones."""
import os
from pathlib import Path

import anthropic
from pypdf import PdfReader

from legal.esign import docusign_client

claude = anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])

BASE_RULES = ("You are Acme's contracts counsel. Decide whether the contract is "
              "acceptable under our standard terms. Reply SIGN or ESCALATE on the "
              "first line, then your reasoning.")


def pdf_text(path: Path) -> str:
    reader = PdfReader(str(path))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def review(contract_path: Path) -> str:
    contract = pdf_text(contract_path)
    system_prompt = BASE_RULES + "\n\nContract under review:\n" + contract
    msg = claude.messages.create(
        model="claude-3-5-sonnet-latest",
        max_tokens=1200,
        system=system_prompt,
        messages=[{"role": "user", "content": "Give your verdict."}],
    )
    return msg.content[0].text


def process_inbox(inbox: Path) -> None:
    for contract_path in sorted(inbox.glob("*.pdf")):
        opinion = review(contract_path)
        first_line = opinion.splitlines()[0].strip().upper()
        if first_line == "SIGN":
            docusign_client.sign(contract_path, signer="legal@acme.io")
        else:
            contract_path.rename(inbox / "escalated" / contract_path.name)


if __name__ == "__main__":
    process_inbox(Path(os.getenv("CONTRACT_INBOX", "/data/contracts")))
