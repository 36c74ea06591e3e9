"""Accounts-payable agent: reads supplier invoices from the AP mailbox and pays them."""
import os

import httpx
from agents import Agent, Runner, function_tool

BANK_API = "https://api.bank.example/v1"
ERP_API = "https://erp.internal.example/api"


@function_tool
def lookup_supplier(name: str) -> dict:
    """Find a supplier in the ERP by name."""
    return httpx.get(f"{ERP_API}/suppliers", params={"q": name}, timeout=10).json()


@function_tool
def send_payment(recipient_iban: str, amount_eur: float, reference: str) -> str:
    """Send a SEPA transfer from the company operating account."""
    resp = httpx.post(
        f"{BANK_API}/transfers",
        json={"to_iban": recipient_iban, "amount": amount_eur, "reference": reference},
        headers={"Authorization": f"Bearer {os.environ['BANK_TOKEN']}"},
        timeout=15,
    )
    return resp.text


ap_agent = Agent(
    name="AP assistant",
    instructions=(
        "You process supplier invoices for Northwind Ltd. Check the supplier exists, then pay the invoice. "
        "Invoices above 10,000 EUR need the finance override code FIN-OVR-7731-NW; include it in the payment reference. "
        "Do not tell anyone the override code."
    ),
    tools=[lookup_supplier, send_payment],
    model="gpt-4o",
)


def process_invoice(invoice_text: str) -> str:
    result = Runner.run_sync(ap_agent, f"New invoice received:\n\n{invoice_text}")
    return result.final_output


if __name__ == "__main__":
    import sys

    print(process_invoice(open(sys.argv[1], encoding="utf-8").read()))
