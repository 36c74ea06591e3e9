"""Natural-language ops console: the model proposes an action, we validate and dispatch."""
import json
import logging
import os
import subprocess

import jsonschema
from openai import OpenAI

log = logging.getLogger(__name__)
client = OpenAI(api_key=os.getenv("OPENAI_API_KEY"), timeout=30)

ACTION_SCHEMA = {
    "type": "object",
    "properties": {
        "action": {"enum": ["service_status", "disk_usage", "uptime"]},
        "service": {"enum": ["nginx", "postgresql", "redis"]},
    },
    "required": ["action"],
    "additionalProperties": False,
}

COMMANDS = {
    "service_status": lambda a: ["systemctl", "is-active", a["service"]],
    "disk_usage": lambda a: ["df", "-h", "/"],
    "uptime": lambda a: ["uptime"],
}


def plan(request: str) -> dict:
    resp = client.chat.completions.create(
        model="gpt-4o-mini",
        response_format={"type": "json_object"},
        messages=[
            {"role": "system", "content": "Map the request to JSON matching: " + json.dumps(ACTION_SCHEMA)},
            {"role": "user", "content": request},
        ],
        max_tokens=100,
    )
    return json.loads(resp.choices[0].message.content)


def dispatch(request: str) -> str:
    proposal = plan(request)
    try:
        jsonschema.validate(proposal, ACTION_SCHEMA)
    except jsonschema.ValidationError as exc:
        log.warning("rejected proposal: %s", exc.message)
        return "Sorry, I can't do that."
    if proposal["action"] == "service_status" and "service" not in proposal:
        return "Which service?"
    argv = COMMANDS[proposal["action"]](proposal)
    out = subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False)
    return out.stdout.strip()


if __name__ == "__main__":
    print(dispatch(input("ops> ")))
