"""Billing Q&A for the call-centre dashboard."""
import json
import sqlite3

from langchain.chains import LLMChain
from langchain.prompts import PromptTemplate
from langchain_openai import ChatOpenAI

# customers(id, name, email, phone, ssn, date_of_birth, card_number, card_expiry, plan, balance)

BILLING_TEMPLATE = (
    "You are a billing assistant for a call-centre agent.\n"
    "Customer record:\n{customer}\n\n"
    "Agent question: {question}\n"
    "Answer briefly."
)


class BillingAssistant:
    def __init__(self, db_path: str = "crm.db", model: str = "gpt-4o-mini"):
        self.db = sqlite3.connect(db_path, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        prompt = PromptTemplate(input_variables=["customer", "question"], template=BILLING_TEMPLATE)
        self.chain = LLMChain(llm=ChatOpenAI(model=model, temperature=0), prompt=prompt)

    def _customer(self, customer_id: int) -> dict:
        row = self.db.execute("SELECT * FROM customers WHERE id = ?", (customer_id,)).fetchone()
        return dict(row)

    def answer(self, customer_id: int, question: str) -> str:
        customer = self._customer(customer_id)
        return self.chain.run(customer=json.dumps(customer, default=str), question=question)


if __name__ == "__main__":
    import sys

    assistant = BillingAssistant()
    print(assistant.answer(int(sys.argv[1]), " ".join(sys.argv[2:])))
