"""Natural-language reporting over the sales database (written against openai<1.0)."""
import sqlite3
import sys

import openai

openai.api_key = "sk-proj-E6atV0rGalkVC9M5cGF9kIe9UKa0q4AZboYkP3tL"

SCHEMA_HINT = """
Tables:
  orders(id INTEGER, customer_id INTEGER, total REAL, created_at TEXT)
  customers(id INTEGER, name TEXT, email TEXT, region TEXT)
"""


class SalesReportBot:
    def __init__(self, db_path="sales.db", model="gpt-3.5-turbo"):
        self.db_path = db_path
        self.model = model

    def to_sql(self, question):
        completion = openai.ChatCompletion.create(
            model=self.model,
            messages=[
                {"role": "system", "content": "Translate the question into one SQLite query. " + SCHEMA_HINT},
                {"role": "user", "content": question},
            ],
            temperature=0,
        )
        sql = completion["choices"][0]["message"]["content"]
        return sql.strip().strip("`").removeprefix("sql").strip()

    def run(self, question):
        sql = self.to_sql(question)
        print(f"-- generated SQL\n{sql}")
        conn = sqlite3.connect(self.db_path)
        try:
            cur = conn.cursor()
            cur.execute(sql)
            rows = cur.fetchall()
            conn.commit()
            return rows
        finally:
            conn.close()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print("usage: legacy_sql_assistant.py 'total sales per region last month'")
        sys.exit(1)
    for row in SalesReportBot().run(" ".join(sys.argv[1:])):
        print(" | ".join(str(col) for col in row))
