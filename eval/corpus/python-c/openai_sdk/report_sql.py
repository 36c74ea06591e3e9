"""Natural-language reporting: the model picks a vetted report, never writes SQL."""
import os
from datetime import date
from enum import Enum

import psycopg
from openai import OpenAI
from pydantic import BaseModel, Field

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"], timeout=30)


class ReportName(str, Enum):
    revenue_by_region = "revenue_by_region"
    churn_by_plan = "churn_by_plan"
    signups_by_day = "signups_by_day"


REPORT_SQL = {
    ReportName.revenue_by_region: "SELECT region, sum(amount) FROM invoices WHERE issued BETWEEN %s AND %s GROUP BY region",
    ReportName.churn_by_plan: "SELECT plan, count(*) FROM cancellations WHERE day BETWEEN %s AND %s GROUP BY plan",
    ReportName.signups_by_day: "SELECT day, count(*) FROM signups WHERE day BETWEEN %s AND %s GROUP BY day",
}


class ReportChoice(BaseModel):
    report: ReportName
    start: date
    end: date = Field(description="inclusive end date")


def choose_report(question: str) -> ReportChoice:
    completion = client.beta.chat.completions.parse(
        model="gpt-4o-mini",
        max_tokens=100,
        messages=[
            {"role": "system", "content": "Map the user's question to one report and a date range."},
            {"role": "user", "content": question},
        ],
        response_format=ReportChoice,
    )
    return completion.choices[0].message.parsed


def run_report(question: str) -> list[tuple]:
    choice = choose_report(question)
    if choice.end < choice.start or (choice.end - choice.start).days > 366:
        raise ValueError("date range not allowed")
    sql = REPORT_SQL[choice.report]
    with psycopg.connect(os.environ["REPORTING_RO_DSN"]) as conn:
        return conn.execute(sql, (choice.start, choice.end)).fetchall()
