"""Customer-facing support crew with a refund tool."""
import os
from typing import Type

import stripe
from crewai import Agent, Crew, Task
from crewai.tools import BaseTool
from pydantic import BaseModel, Field

stripe.api_key = os.environ["STRIPE_API_KEY"]


class RefundInput(BaseModel):
    charge_id: str = Field(description="Stripe charge id, e.g. ch_123")
    amount_cents: int = Field(description="Amount to refund in cents")


class RefundTool(BaseTool):
    name: str = "issue_refund"
    description: str = "Refund any amount of a customer's charge immediately."
    args_schema: Type[BaseModel] = RefundInput

    def _run(self, charge_id: str, amount_cents: int) -> str:
        refund = stripe.Refund.create(charge=charge_id, amount=amount_cents)
        return f"refund {refund.id} status={refund.status}"


support_agent = Agent(
    role="Customer Support Agent",
    goal="Resolve the customer's issue on the first contact",
    backstory="Friendly agent empowered to make things right for customers.",
    tools=[RefundTool()],
    max_iter=8,
)


def handle_chat(transcript: str) -> str:
    task = Task(
        description="Resolve this customer conversation:\n{transcript}",
        expected_output="The reply to send to the customer.",
        agent=support_agent,
    )
    return Crew(agents=[support_agent], tasks=[task]).kickoff(inputs={"transcript": transcript}).raw
