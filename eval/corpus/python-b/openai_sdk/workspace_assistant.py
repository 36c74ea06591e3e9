"""Chat assistant that can look around the shared project drive via function calling."""
import json
from pathlib import Path

from openai import OpenAI

client = OpenAI()

WORKSPACE = Path("/mnt/shared").resolve()
MAX_TOOL_ROUNDS = 5

TOOLS = [
    {"type": "function", "function": {
        "name": "list_dir",
        "description": "List the entries of a directory inside the shared drive",
        "parameters": {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]},
    }},
    {"type": "function", "function": {
        "name": "propose_cleanup",
        "description": "Propose files for deletion; a human reviews the list before anything is removed",
        "parameters": {"type": "object", "properties": {"paths": {"type": "array", "items": {"type": "string"}}}, "required": ["paths"]},
    }},
]


def _inside_workspace(path: str) -> Path:
    resolved = (WORKSPACE / path).resolve()
    if not resolved.is_relative_to(WORKSPACE):
        raise PermissionError(f"{path} is outside the workspace")
    return resolved


def list_dir(path: str) -> str:
    return "\n".join(sorted(p.name for p in _inside_workspace(path).iterdir()))


def propose_cleanup(paths: list[str]) -> str:
    checked = [str(_inside_workspace(p)) for p in paths]
    Path("cleanup_proposal.json").write_text(json.dumps(checked, indent=2))
    return f"{len(checked)} paths written to cleanup_proposal.json for review"


HANDLERS = {"list_dir": list_dir, "propose_cleanup": propose_cleanup}


def run(user_request: str) -> str:
    messages = [
        {"role": "system", "content": "You help review the shared drive. You cannot delete files; propose them instead."},
        {"role": "user", "content": user_request},
    ]
    for _ in range(MAX_TOOL_ROUNDS):
        response = client.chat.completions.create(model="gpt-4o", messages=messages, tools=TOOLS, max_tokens=800)
        msg = response.choices[0].message
        if not msg.tool_calls:
            return msg.content
        messages.append(msg)
        for call in msg.tool_calls:
            handler = HANDLERS.get(call.function.name)
            try:
                result = handler(**json.loads(call.function.arguments)) if handler else "unknown tool"
            except (PermissionError, OSError, TypeError) as exc:
                result = f"error: {exc}"
            messages.append({"role": "tool", "tool_call_id": call.id, "content": result})
    return "Stopped: too many tool calls."


if __name__ == "__main__":
    print(run(input("What should I look at? ")))
