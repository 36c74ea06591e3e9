"""IT helpdesk bot for employees (Slack slash command backend)."""
import os

import anthropic
import requests
from fastapi import FastAPI, Form

app = FastAPI()
client = anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])

SYSTEM_PROMPT = """You are the IT helpdesk assistant for Contoso.
You can help employees with password resets, VPN problems and laptop requests.
For VPN resets, call the vpn_reset tool; it always acts on the employee who sent the request.
If the tool fails, tell the employee to open a ticket at https://help.contoso.com."""

TOOLS = [{
    "name": "vpn_reset",
    "description": "Reset the VPN profile of the requesting employee",
    "input_schema": {"type": "object", "properties": {}},
}]


def vpn_reset(username: str) -> str:
    resp = requests.post(
        "https://vpn-admin.contoso.internal/api/reset",
        json={"user": username},
        auth=("svc_helpdesk", os.environ["VPN_ADMIN_PASSWORD"]),
        timeout=10,
    )
    return "done" if resp.ok else f"failed: {resp.status_code}"


@app.post("/slack/helpdesk")
def helpdesk(user_name: str = Form(...), text: str = Form(..., max_length=2000)):
    messages = [{"role": "user", "content": text}]
    response = client.messages.create(
        model="claude-3-5-haiku-latest", max_tokens=500, system=SYSTEM_PROMPT, tools=TOOLS, messages=messages
    )
    for block in response.content:
        if block.type == "tool_use" and block.name == "vpn_reset":
            result = vpn_reset(user_name)
            return {"response_type": "ephemeral", "text": f"VPN reset: {result}"}
    text_blocks = [b.text for b in response.content if b.type == "text"]
    return {"response_type": "ephemeral", "text": "\n".join(text_blocks)}
