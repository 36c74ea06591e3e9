"""Natural-language reporting over the sales database (written against openai<1.0)."""
import sqlite3
import sys

import openai

openai.api_key = "sk-proj-E6atV0rGalkVC9M5cGF9kIe9UKa0q4AZboYkP3tL"

DB_PATH = "sales.db"

SCHEMA_HINT = """
Tables:
  orders(id INTEGER, customer_id INTEGER, total REAL, created_at TEXT)
  customers(id INTEGER, name TEXT, email TEXT, region TEXT)
"""


def question_to_sql(question):
    completion = openai.ChatCompletion.create(
        model="gpt-3.5-turbo",
        messages=[
            {"role": "system", "content": "Translate the question into one SQLite query. " + SCHEMA_HINT},
            {"role": "user", "content": question},
        ],
        temperature=0,
    )
    sql = completion["choices"][0]["message"]["content"]
    return sql.strip().strip("`").removeprefix("sql").strip()


def run_report(question):
    sql = question_to_sql(question)
    print(f"-- generated SQL\n{sql}")
    conn = sqlite3.connect(DB_PATH)
    cur = conn.cursor()
    cur.execute(sql)
    rows = cur.fetchall()
    conn.commit()
    conn.close()
    return rows


def print_table(rows):
    for row in rows:
        print(" | ".join(str(col) for col in row))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print("usage: legacy_sql_assistant.py 'total sales per region last month'")
        sys.exit(1)
    print_table(run_report(" ".join(sys.argv[1:])))
