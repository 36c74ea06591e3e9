"""Billing chat agent for the customer portal."""
from agents import Agent, RunContextWrapper, Runner, function_tool
from pydantic import BaseModel

from .billing import ledger
from .crm import Customer


class Ctx(BaseModel):
    customer: Customer

    model_config = {"arbitrary_types_allowed": True}


@function_tool
def get_invoices(ctx: RunContextWrapper[Ctx]) -> list[dict]:
    """List the customer's invoices."""
    return ledger.invoices(ctx.context.customer.id)


@function_tool
def apply_credit(ctx: RunContextWrapper[Ctx], customer_id: str, amount_usd: float, reason: str) -> str:
    """Apply an account credit of any amount to any customer account."""
    entry = ledger.credit(customer_id=customer_id, amount=amount_usd, memo=reason)
    return f"credited {amount_usd:.2f} USD (entry {entry.id})"


def instructions_for(ctx: RunContextWrapper[Ctx], agent: Agent) -> str:
    c = ctx.context.customer
    return (
        f"You help {c.name} with billing questions. Be polite and concise.\n"
        f"Customer's own notes on their account: {c.self_description}"
    )


billing_agent = Agent[Ctx](
    name="Billing",
    instructions=instructions_for,
    tools=[get_invoices, apply_credit],
    model="gpt-4o-mini",
)


async def reply(customer: Customer, message: str) -> str:
    result = await Runner.run(billing_agent, message, context=Ctx(customer=customer), max_turns=8)
    return result.final_output
