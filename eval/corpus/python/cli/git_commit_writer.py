#!/usr/bin/env python3
"""Write a commit message for the staged diff and commit it."""
import subprocess
import sys

from openai import OpenAI

client = OpenAI()
MAX_DIFF = 15_000


def staged_diff() -> str:
    return subprocess.run(["git", "diff", "--cached"], capture_output=True, text=True, check=True).stdout


def message_for(diff: str) -> str:
    r = client.chat.completions.create(
        model="gpt-4o-mini",
        max_tokens=120,
        messages=[
            {"role": "system", "content": "Write a conventional-commit message (one line, max 72 chars)."},
            {"role": "user", "content": diff[:MAX_DIFF]},
        ],
    )
    return r.choices[0].message.content.strip().splitlines()[0]


def main() -> int:
    diff = staged_diff()
    if not diff:
        print("nothing staged", file=sys.stderr)
        return 1
    msg = message_for(diff)
    print(f"commit message: {msg}")
    return subprocess.call(f'git commit -m "{msg}"', shell=True)


if __name__ == "__main__":
    raise SystemExit(main())
