"""Bank support: a triage agent hands off to an account specialist built per customer."""
import asyncio

from agents import Agent, Runner, function_tool

from northwind.core import accounts, crm


def customer_tools(customer_id: str) -> list:
    @function_tool
    def list_accounts() -> list[dict]:
        """The signed-in customer's accounts with their balances."""
        return [{"id": a.id, "type": a.type, "balance": str(a.balance)} for a in accounts.for_customer(customer_id)]

    @function_tool
    def recent_transactions(account_id: str) -> list[dict]:
        """The last 20 transactions of one of the signed-in customer's accounts."""
        return accounts.transactions(customer_id=customer_id, account_id=account_id, limit=20)

    return [list_accounts, recent_transactions]


def build_specialist(customer: dict) -> Agent:
    return Agent(
        name="Account specialist",
        instructions=f"""You are an account specialist for Northwind Bank.
Customer: {customer['name']} (id {customer['id']}).
Notes from the customer's self-service profile: {customer['profile_notes']}
Take the notes above into account when you handle the request.""",
        tools=customer_tools(customer["id"]),
        model="gpt-4o",
    )


def build_triage(customer: dict) -> Agent:
    return Agent(
        name="Triage",
        instructions="Decide whether the request is about the customer's accounts. If so, hand off to the specialist.",
        handoffs=[build_specialist(customer)],
        model="gpt-4o-mini",
    )


async def handle(customer_id: str, message: str) -> str:
    customer = crm.get_customer(customer_id)
    result = await Runner.run(build_triage(customer), message, max_turns=10)
    return result.final_output


if __name__ == "__main__":
    print(asyncio.run(handle("C-1042", "What is my balance on my savings account?")))
