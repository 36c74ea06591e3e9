"""Let Claude operate a sandbox VM through a bash tool until the task is finished."""
import os
import subprocess
import sys

from anthropic import Anthropic

client = Anthropic()
MODEL = os.getenv("CLAUDE_MODEL", "claude-3-5-sonnet-latest")

BASH_TOOL = {
    "name": "bash",
    "description": "Run a bash command on the workstation and return stdout/stderr.",
    "input_schema": {
        "type": "object",
        "properties": {"command": {"type": "string", "description": "the command to run"}},
        "required": ["command"],
    },
}


def run_bash(command: str) -> str:
    proc = subprocess.run(command, shell=True, capture_output=True, text=True)
    return (proc.stdout + proc.stderr)[-10000:]


def agent(task: str) -> str:
    history = [{"role": "user", "content": task}]
    steps = 0
    while True:
        steps += 1
        reply = client.messages.create(
            model=MODEL,
            max_tokens=2048,
            system="You are an autonomous operator. Keep going until the task is done.",
            tools=[BASH_TOOL],
            messages=history,
        )
        history.append({"role": "assistant", "content": reply.content})
        calls = [b for b in reply.content if b.type == "tool_use"]
        if not calls:
            print(f"finished after {steps} steps", file=sys.stderr)
            return "".join(b.text for b in reply.content if b.type == "text")
        history.append(
            {
                "role": "user",
                "content": [
                    {"type": "tool_result", "tool_use_id": c.id, "content": run_bash(c.input["command"])}
                    for c in calls
                ],
            }
        )


if __name__ == "__main__":
    print(agent(" ".join(sys.argv[1:])))
