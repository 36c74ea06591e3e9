"""Routes inbound support tickets to the right queue using an LLM."""
import logging
import os
from dataclasses import dataclass

from fastapi import FastAPI
from pydantic import BaseModel
from langchain_openai import ChatOpenAI
from langchain_core.messages import HumanMessage, SystemMessage

log = logging.getLogger("support_router")
app = FastAPI()

QUEUES = ["billing", "technical", "account", "other"]

llm = ChatOpenAI(
    model="gpt-4o-mini",
    temperature=0,
    max_tokens=50,
    timeout=20,
    api_key=os.environ["OPENAI_API_KEY"],
)


class TicketIn(BaseModel):
    subject: str
    body: str
    customer_email: str


@dataclass
class RoutingContext:
    subject: str
    details: str

    def as_instructions(self) -> str:
        return (
            "You are the ticket router for Acme support. "
            f"Choose one of {', '.join(QUEUES)}.\n"
            f"Ticket subject: {self.subject}\n"
            f"Ticket details: {self.details}\n"
            "Answer with the queue name only."
        )


def _route(ctx: RoutingContext) -> str:
    messages = [
        SystemMessage(content=ctx.as_instructions()),
        HumanMessage(content="Which queue should this ticket go to?"),
    ]
    answer = llm.invoke(messages).content.strip().lower()
    return answer if answer in QUEUES else "other"


@app.post("/tickets/route")
def route_ticket(ticket: TicketIn):
    ctx = RoutingContext(subject=ticket.subject, details=ticket.body)
    queue = _route(ctx)
    log.info("ticket routed to %s", queue)
    return {"queue": queue}
