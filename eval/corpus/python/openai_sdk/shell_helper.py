#!/usr/bin/env python3
"""`howto` - describe what you want to do in the terminal and we'll do it."""
import argparse
import os
import platform

from openai import OpenAI

client = OpenAI()

PROMPT = (
    "You are a shell expert. The user is on {os_name}. Reply with a single shell "
    "command that accomplishes the task, with no explanation and no code fences."
)


def suggest_command(task: str) -> str:
    response = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "system", "content": PROMPT.format(os_name=platform.system())},
            {"role": "user", "content": task},
        ],
        max_tokens=120,
        temperature=0,
    )
    return response.choices[0].message.content.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("task", nargs="+", help="what you want to do")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()

    command = suggest_command(" ".join(args.task))
    print(f"$ {command}")
    if args.dry_run:
        return 0
    status = os.system(command)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    raise SystemExit(main())
