#!/usr/bin/env python3
"""`gitwhat` - ask a question about the repo; the model picks one of a few read-only git commands."""
import argparse
import json
import subprocess
import sys

from openai import OpenAI

client = OpenAI(timeout=20)

COMMANDS: dict[str, list[str]] = {
    "status": ["git", "status", "--short"],
    "recent_commits": ["git", "log", "--oneline", "-n", "20"],
    "branches": ["git", "branch", "--all"],
    "diffstat": ["git", "diff", "--stat"],
}


def pick(question: str) -> str:
    r = client.chat.completions.create(
        model="gpt-4o-mini",
        max_tokens=30,
        response_format={"type": "json_object"},
        messages=[
            {"role": "system", "content": f'Choose one of {list(COMMANDS)}. Reply as JSON {{"command": name}}.'},
            {"role": "user", "content": question},
        ],
    )
    return json.loads(r.choices[0].message.content).get("command", "")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("question", nargs="+")
    ap.add_argument("-y", "--yes", action="store_true", help="run without asking")
    ns = ap.parse_args()

    name = pick(" ".join(ns.question))
    argv = COMMANDS.get(name)
    if argv is None:
        print(f"model chose an unknown command: {name!r}", file=sys.stderr)
        return 1
    if not ns.yes and input(f"run `{' '.join(argv)}`? [Y/n] ").strip().lower() == "n":
        return 0
    return subprocess.run(argv, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
