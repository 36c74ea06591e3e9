"""Extract an order lookup from free text, validate it, then query with bound parameters."""
import os
import sqlite3
from datetime import date

from langchain_core.output_parsers import PydanticOutputParser
from langchain_core.prompts import PromptTemplate
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, Field, ValidationError

DB = os.environ.get("ORDERS_DB", "orders.db")


class OrderLookup(BaseModel):
    customer_email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
    since: date
    status: str = Field(pattern=r"^(open|shipped|cancelled)$")


parser = PydanticOutputParser(pydantic_object=OrderLookup)
prompt = PromptTemplate(
    template="Extract the order lookup from the request.\n{format_instructions}\nRequest: {request}",
    input_variables=["request"],
    partial_variables={"format_instructions": parser.get_format_instructions()},
)
chain = prompt | ChatOpenAI(model="gpt-4o-mini", temperature=0, max_tokens=200) | parser


def find_orders(request: str) -> list[tuple]:
    try:
        lookup = chain.invoke({"request": request})
    except (ValidationError, ValueError):
        return []
    with sqlite3.connect(DB) as conn:
        cur = conn.execute(
            "SELECT id, total, status FROM orders WHERE email = ? AND created >= ? AND status = ?",
            (lookup.customer_email, lookup.since.isoformat(), lookup.status),
        )
        return cur.fetchall()


if __name__ == "__main__":
    for row in find_orders("open orders for jo@example.com since March 1st 2024"):
        print(row)
