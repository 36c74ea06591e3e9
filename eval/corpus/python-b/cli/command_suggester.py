#!/usr/bin/env python3
"""gitask: describe what you want in English, get a git command suggestion.

    $ gitask show me what changed in the last commit
"""
import shlex
import subprocess
import sys

import anthropic

client = anthropic.Anthropic()

SYSTEM = (
    "You translate a developer's request into a single git command. "
    "Output only the command on one line, no explanation and no code fences."
)
ALLOWED_SUBCOMMANDS = {"status", "log", "diff", "show", "branch", "blame", "shortlog"}


def suggest_command(request_text: str) -> str:
    msg = client.messages.create(
        model="claude-3-5-haiku-latest",
        max_tokens=200,
        system=SYSTEM,
        messages=[{"role": "user", "content": request_text}],
    )
    return msg.content[0].text.strip()


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 1
    suggestion = suggest_command(" ".join(sys.argv[1:]))
    argv = shlex.split(suggestion)
    if len(argv) < 2 or argv[0] != "git" or argv[1] not in ALLOWED_SUBCOMMANDS:
        print(f"Suggested (not run, only read-only git commands are executed): {suggestion}")
        return 1
    print(f"$ {shlex.join(argv)}")
    if input("Run it? [y/N] ").strip().lower() != "y":
        return 0
    return subprocess.run(argv, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
