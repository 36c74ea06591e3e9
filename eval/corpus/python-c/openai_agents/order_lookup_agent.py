"""Read-only order status agent for the authenticated customer portal."""
from dataclasses import dataclass

from agents import Agent, ModelSettings, RunContextWrapper, Runner, function_tool
from fastapi import Depends, FastAPI
from pydantic import BaseModel, Field

from portal.auth import current_user
from shop.orders import list_orders_for_customer

app = FastAPI()


@dataclass
class CustomerCtx:
    customer_id: str


@function_tool
def my_orders(ctx: RunContextWrapper[CustomerCtx], status: str = "any") -> list[dict]:
    """List the signed-in customer's recent orders, optionally filtered by status."""
    rows = list_orders_for_customer(ctx.context.customer_id, status=status, limit=20)
    return [{"id": r.id, "status": r.status, "eta": r.eta} for r in rows]


status_agent = Agent[CustomerCtx](
    name="Order status",
    instructions=("Answer questions about the customer's own orders using my_orders. "
                  "You cannot change orders; point customers to the returns page."),
    model="gpt-4o-mini",
    model_settings=ModelSettings(max_tokens=400, temperature=0.2),
    tools=[my_orders],
)


class Ask(BaseModel):
    message: str = Field(min_length=1, max_length=1000)


@app.post("/orders/assistant")
async def assistant(body: Ask, user=Depends(current_user)):
    ctx = CustomerCtx(customer_id=user.customer_id)
    result = await Runner.run(status_agent, body.message, context=ctx, max_turns=4)
    return {"reply": result.final_output}
