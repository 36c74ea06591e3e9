"""Natural-language reporting: the model only picks a canned, parameterised report."""
import json
import os
import sqlite3
import sys
from datetime import date

from openai import OpenAI

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])

REPORTS = {
    "sales_by_region": (
        "SELECT c.region, SUM(o.total) FROM orders o JOIN customers c ON c.id = o.customer_id "
        "WHERE o.created_at BETWEEN ? AND ? GROUP BY c.region"
    ),
    "top_customers": (
        "SELECT c.name, SUM(o.total) AS spent FROM orders o JOIN customers c ON c.id = o.customer_id "
        "WHERE o.created_at BETWEEN ? AND ? GROUP BY c.id ORDER BY spent DESC LIMIT 10"
    ),
}

SYSTEM_PROMPT = (
    "Map the user's question to one of these reports: sales_by_region, top_customers. "
    'Reply with JSON: {"report": <name>, "start": "YYYY-MM-DD", "end": "YYYY-MM-DD"}.'
)


def choose_report(question: str) -> dict:
    response = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": question[:500]},
        ],
        max_tokens=100,
        temperature=0,
        response_format={"type": "json_object"},
    )
    return json.loads(response.choices[0].message.content)


def run_report(question: str) -> list:
    choice = choose_report(question)
    sql = REPORTS.get(choice.get("report"))
    if sql is None:
        raise ValueError("question does not match a supported report")
    start = date.fromisoformat(choice["start"])
    end = date.fromisoformat(choice["end"])
    conn = sqlite3.connect("file:sales.db?mode=ro", uri=True)
    try:
        return conn.execute(sql, (start.isoformat(), end.isoformat())).fetchall()
    finally:
        conn.close()


if __name__ == "__main__":
    for row in run_report(" ".join(sys.argv[1:])):
        print(" | ".join(str(col) for col in row))
