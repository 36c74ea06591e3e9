#!/usr/bin/env python3
"""scaffold: describe a project, get a virtualenv with the right libraries installed.

    $ scaffold "scrape product prices and send a weekly Slack digest"
"""
import json
import subprocess
import sys
import venv
from pathlib import Path

from openai import OpenAI

client = OpenAI()


def suggest_packages(description: str) -> list[str]:
    response = client.chat.completions.create(
        model="gpt-4o-mini",
        temperature=0.9,
        max_tokens=300,
        response_format={"type": "json_object"},
        messages=[
            {"role": "system", "content": 'List the PyPI packages this project needs as JSON: {"packages": [...]}'},
            {"role": "user", "content": description},
        ],
    )
    return json.loads(response.choices[0].message.content)["packages"]


def main() -> None:
    description = " ".join(sys.argv[1:])
    target = Path("project")
    venv.create(target / ".venv", with_pip=True)
    packages = suggest_packages(description)
    print("Installing:", ", ".join(packages))
    python = target / ".venv" / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", *packages], check=True)
    (target / "requirements.txt").write_text("\n".join(packages) + "\n")
    print("Done. Activate with: source project/.venv/bin/activate")


if __name__ == "__main__":
    main()
