"""CLI helper: Claude suggests diagnostic commands, the user confirms each one."""
import os
import shlex
import subprocess

import anthropic

client = anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"], timeout=60.0)
MAX_STEPS = 6
READ_ONLY = {"ls", "df", "du", "uptime", "free", "ps", "cat", "journalctl"}

TOOLS = [{
    "name": "run_diagnostic",
    "description": "Run one read-only diagnostic command (ls, df, du, ps, ...).",
    "input_schema": {"type": "object",
                     "properties": {"program": {"type": "string"},
                                    "args": {"type": "array", "items": {"type": "string"}}},
                     "required": ["program"]},
}]


def run_diagnostic(program: str, args: list[str]) -> str:
    if program not in READ_ONLY:
        return f"{program} is not allowed"
    preview = " ".join(shlex.quote(p) for p in [program, *args])
    if input(f"Run `{preview}`? [y/N] ").strip().lower() != "y":
        return "user declined"
    done = subprocess.run([program, *args], capture_output=True, text=True, timeout=30)
    return (done.stdout + done.stderr)[-3000:]


def diagnose(problem: str) -> str:
    messages = [{"role": "user", "content": problem}]
    for _ in range(MAX_STEPS):
        resp = client.messages.create(model="claude-3-5-haiku-latest", max_tokens=800,
                                      tools=TOOLS, messages=messages)
        if resp.stop_reason != "tool_use":
            return "".join(b.text for b in resp.content if b.type == "text")
        messages.append({"role": "assistant", "content": resp.content})
        results = []
        for block in resp.content:
            if block.type == "tool_use":
                out = run_diagnostic(block.input["program"], block.input.get("args", []))
                results.append({"type": "tool_result", "tool_use_id": block.id, "content": out})
        messages.append({"role": "user", "content": results})
    return "stopped after max steps"
