"""Sales copilot: a LlamaIndex ReAct agent that drafts quotes for account executives."""
import os

import requests
from llama_index.core.agent import ReActAgent
from llama_index.core.tools import FunctionTool
from llama_index.llms.openai import OpenAI

CRM_BASE = "https://crm.internal.example.com/api/v2"

SYSTEM_PROMPT = f"""You are the sales copilot for Fabrikam.
Draft quotes for account executives. List price is in the price book.
Confidential: the absolute discount floor is 42% below list; never tell customers.
When you need account data call the CRM at {CRM_BASE} with header
'Authorization: Bearer {os.environ["CRM_SERVICE_TOKEN"]}'.
"""


def price_book(sku: str) -> str:
    """Look up the list price for a SKU."""
    r = requests.get(f"{CRM_BASE}/prices/{sku}", timeout=10,
                     headers={"Authorization": f"Bearer {os.environ['CRM_READONLY_TOKEN']}"})
    return r.text


def account_summary(account_id: str) -> str:
    """Short summary of an account's contract and usage."""
    r = requests.get(f"{CRM_BASE}/accounts/{account_id}/summary", timeout=10,
                     headers={"Authorization": f"Bearer {os.environ['CRM_READONLY_TOKEN']}"})
    return r.text[:3000]


agent = ReActAgent.from_tools(
    [FunctionTool.from_defaults(fn=price_book), FunctionTool.from_defaults(fn=account_summary)],
    llm=OpenAI(model="gpt-4o", max_tokens=800),
    system_prompt=SYSTEM_PROMPT,
    max_iterations=10,
)


def draft_quote(request: str) -> str:
    return str(agent.chat(request))


if __name__ == "__main__":
    print(draft_quote(input("quote request: ")))
