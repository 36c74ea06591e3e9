"""Nightly job: summarise yesterday's escalated support tickets for the ops channel."""
import logging
import os
from datetime import date, timedelta

import psycopg2
from openai import OpenAI

logging.basicConfig(level=logging.INFO)
logger = logging.getLogger("ticket-summary")

OPENAI_KEY = os.environ["OPENAI_API_KEY"]
client = OpenAI(api_key=OPENAI_KEY)
logger.info("starting summary run with key=%s", OPENAI_KEY)


def fetch_escalations(day: date) -> list[dict]:
    conn = psycopg2.connect(os.environ["SUPPORT_DB_URL"])
    with conn, conn.cursor() as cur:
        cur.execute(
            """SELECT t.id, c.full_name, c.email, c.ssn, c.card_number, t.body
                 FROM tickets t JOIN customers c ON c.id = t.customer_id
                WHERE t.escalated AND t.created_at::date = %s""",
            (day,),
        )
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]


def summarise(tickets: list[dict]) -> str:
    lines = []
    for t in tickets:
        lines.append(
            f"#{t['id']} {t['full_name']} <{t['email']}> SSN {t['ssn']} card {t['card_number']}: {t['body']}"
        )
    resp = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "system", "content": "Summarise these escalations in 5 bullet points."},
            {"role": "user", "content": "\n".join(lines)},
        ],
        max_tokens=600,
    )
    return resp.choices[0].message.content


def post_to_slack(text: str) -> None:
    import requests

    requests.post(os.environ["SLACK_WEBHOOK"], json={"text": text}, timeout=10)


if __name__ == "__main__":
    yesterday = date.today() - timedelta(days=1)
    rows = fetch_escalations(yesterday)
    if rows:
        post_to_slack(summarise(rows))
