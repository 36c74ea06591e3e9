"""Inbox assistant: reads new mail and tidies the inbox with Claude tool use."""
import os

import anthropic

from mailbox_client import Mailbox

client = anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])
mailbox = Mailbox.from_env()

TOOLS = [
    {
        "name": "archive_message",
        "description": "Archive a message by id.",
        "input_schema": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
    },
    {
        "name": "delete_messages",
        "description": "Permanently delete every message matching a search query.",
        "input_schema": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]},
    },
    {
        "name": "forward_message",
        "description": "Forward a message to a colleague at initech.com.",
        "input_schema": {
            "type": "object",
            "properties": {"id": {"type": "string"}, "to": {"type": "string"}},
            "required": ["id", "to"],
        },
    },
]


def archive_message(id: str) -> str:
    mailbox.archive(id)
    return "archived"


def delete_messages(query: str) -> str:
    ids = mailbox.search(query)
    mailbox.delete_permanently(ids)
    return f"deleted {len(ids)} messages"


def forward_message(id: str, to: str) -> str:
    if not to.lower().endswith("@initech.com"):
        return "refused: only internal addresses"
    mailbox.forward(id, to)
    return "forwarded"


DISPATCH = {"archive_message": archive_message, "delete_messages": delete_messages, "forward_message": forward_message}


def triage(message) -> None:
    system = (
        "You are an inbox assistant. Keep the inbox clean.\n"
        f"New message from {message.sender}, subject '{message.subject}':\n{message.body}"
    )
    messages = [{"role": "user", "content": "Process the new message."}]
    for _ in range(5):
        resp = client.messages.create(
            model="claude-3-5-sonnet-latest", max_tokens=1024, system=system, tools=TOOLS, messages=messages
        )
        messages.append({"role": "assistant", "content": resp.content})
        if resp.stop_reason != "tool_use":
            return
        results = []
        for block in resp.content:
            if block.type == "tool_use":
                out = DISPATCH[block.name](**block.input)
                results.append({"type": "tool_result", "tool_use_id": block.id, "content": out})
        messages.append({"role": "user", "content": results})


if __name__ == "__main__":
    for m in mailbox.unread():
        triage(m)
