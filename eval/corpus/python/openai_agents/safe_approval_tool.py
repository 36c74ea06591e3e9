"""Account-management agent. Destructive actions are queued for a human to approve."""
import uuid
from dataclasses import dataclass, field

from agents import Agent, ModelSettings, RunContextWrapper, Runner, function_tool

from .accounts import AccountService


@dataclass
class SessionCtx:
    user_id: str
    accounts: AccountService
    pending: dict[str, dict] = field(default_factory=dict)


@function_tool
def show_plan(ctx: RunContextWrapper[SessionCtx]) -> str:
    """Show the signed-in user's current plan."""
    return ctx.context.accounts.plan_of(ctx.context.user_id)


@function_tool
def request_account_deletion(ctx: RunContextWrapper[SessionCtx], reason: str) -> str:
    """Ask to delete the signed-in user's account. A human must approve before anything happens."""
    ticket = str(uuid.uuid4())
    ctx.context.pending[ticket] = {"action": "delete_account", "user_id": ctx.context.user_id, "reason": reason[:500]}
    return f"Deletion request {ticket} created. Our team will confirm by e-mail before deleting anything."


agent = Agent[SessionCtx](
    name="Account assistant",
    instructions="Help users understand and manage their own account.",
    tools=[show_plan, request_account_deletion],
    model_settings=ModelSettings(max_tokens=500),
)


def approve(ctx: SessionCtx, ticket: str, reviewer: str) -> None:
    req = ctx.pending.pop(ticket)
    print(f"{reviewer} approved {req['action']} for {req['user_id']}")
    if input("Type DELETE to confirm: ") == "DELETE":
        ctx.accounts.delete(req["user_id"])


def run(ctx: SessionCtx, message: str) -> str:
    result = Runner.run_sync(agent, message, context=ctx, max_turns=5)
    return result.final_output
