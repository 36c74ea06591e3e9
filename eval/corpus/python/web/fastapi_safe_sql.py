"""Ask-your-metrics endpoint. The model only chooses among vetted, parameterised queries."""
import os
from datetime import date
from enum import Enum

import asyncpg
from fastapi import FastAPI
from openai import AsyncOpenAI
from pydantic import BaseModel, Field

app = FastAPI()
client = AsyncOpenAI(api_key=os.environ["OPENAI_API_KEY"], timeout=15)


class Metric(str, Enum):
    signups = "signups"
    revenue = "revenue"
    churn = "churn"


QUERIES = {
    Metric.signups: "SELECT day, count(*) FROM signups WHERE day BETWEEN $1 AND $2 GROUP BY day ORDER BY day",
    Metric.revenue: "SELECT day, sum(amount) FROM payments WHERE day BETWEEN $1 AND $2 GROUP BY day ORDER BY day",
    Metric.churn: "SELECT day, count(*) FROM cancellations WHERE day BETWEEN $1 AND $2 GROUP BY day ORDER BY day",
}


class Plan(BaseModel):
    metric: Metric
    start: date
    end: date


class Ask(BaseModel):
    question: str = Field(max_length=500)


@app.post("/metrics/ask")
async def ask(body: Ask):
    completion = await client.beta.chat.completions.parse(
        model="gpt-4o-mini",
        max_tokens=100,
        response_format=Plan,
        messages=[
            {"role": "system", "content": f"Today is {date.today()}. Pick the metric and date range."},
            {"role": "user", "content": body.question},
        ],
    )
    plan = completion.choices[0].message.parsed
    sql = QUERIES[plan.metric]
    conn = await asyncpg.connect(os.environ["METRICS_DSN"])
    try:
        rows = await conn.fetch(sql, plan.start, plan.end)
    finally:
        await conn.close()
    return {"metric": plan.metric, "rows": [dict(r) for r in rows]}
