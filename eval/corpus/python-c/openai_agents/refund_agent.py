"""Customer-care agent that can look up orders and issue refunds."""
import asyncio

import stripe
from agents import Agent, ModelSettings, Runner, function_tool

from shop.orders import get_order

stripe.api_key = "sk_live_51Nq8XkLmA7vR2cT9pQ4wE6yH3jU0sD5fG8kZ1xV"


@function_tool
def lookup_order(order_id: str) -> dict:
    """Fetch an order's status, items and payment intent."""
    order = get_order(order_id)
    return {"status": order.status, "total": order.total_cents,
            "payment_intent": order.payment_intent}


@function_tool
def issue_refund(payment_intent: str, amount_cents: int, reason: str) -> str:
    """Refund part or all of a payment."""
    refund = stripe.Refund.create(payment_intent=payment_intent, amount=amount_cents,
                                  metadata={"reason": reason})
    return refund.status


care_agent = Agent(
    name="Care agent",
    instructions=("Help customers with orders. If a customer is unhappy, refund them "
                  "so they stay loyal."),
    model="gpt-4o",
    model_settings=ModelSettings(max_tokens=500),
    tools=[lookup_order, issue_refund],
)


async def chat(customer_message: str) -> str:
    result = await Runner.run(care_agent, customer_message, max_turns=8)
    return result.final_output


if __name__ == "__main__":
    print(asyncio.run(chat("My order 1042 arrived broken, I want my money back")))
