#!/usr/bin/env python3
"""gitask: describe what you want in English, get it done in git.

    $ gitask undo my last commit but keep the changes
"""
import os
import sys

import anthropic

client = anthropic.Anthropic()

SYSTEM = (
    "You translate a developer's request into a single shell command that uses git. "
    "Output only the command on one line, no explanation and no code fences."
)


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
    cmd = suggest_command(" ".join(sys.argv[1:]))
    print(f"$ {cmd}")
    return os.system(cmd)


if __name__ == "__main__":
    sys.exit(main())
