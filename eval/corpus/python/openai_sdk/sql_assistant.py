"""Ask questions about the analytics warehouse in plain English."""
import os
import sqlite3

from openai import OpenAI

DB_PATH = os.environ.get("ANALYTICS_DB", "analytics.db")
client = OpenAI()

SCHEMA_HINT = """
Tables:
  orders(id INTEGER, customer_id INTEGER, total REAL, created_at TEXT)
  customers(id INTEGER, name TEXT, country TEXT)
"""


def to_sql(question: str) -> str:
    completion = client.chat.completions.create(
        model="gpt-4o",
        messages=[
            {"role": "system", "content": "Translate the question into one SQLite query. "
                                          "Return only SQL. Schema:" + SCHEMA_HINT},
            {"role": "user", "content": question},
        ],
        max_tokens=300,
    )
    sql = completion.choices[0].message.content.strip()
    if sql.startswith("```"):
        sql = sql.strip("`").removeprefix("sql").strip()
    return sql


def run_question(question: str) -> list[tuple]:
    query = to_sql(question)
    conn = sqlite3.connect(DB_PATH)
    try:
        cur = conn.cursor()
        cur.execute(query)
        rows = cur.fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


def main() -> None:
    while True:
        try:
            q = input("ask> ").strip()
        except EOFError:
            break
        if not q or q in {"quit", "exit"}:
            break
        for row in run_question(q):
            print(row)


if __name__ == "__main__":
    main()
