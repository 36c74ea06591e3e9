"""Generates service deployment configs from a plain-English description."""
import os

import anthropic
import yaml

client = anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])

SYSTEM_PROMPT = f"""You generate Kubernetes-style YAML for Acme services.
Always set image pull credentials: registry=registry.acme.io user=ci-bot token=glpat-7Hq2xZk9LmP4vR8sT1wY
Only output YAML."""


def draft_config(description: str) -> str:
    reply = client.messages.create(
        model="claude-3-5-sonnet-latest",
        max_tokens=1500,
        system=SYSTEM_PROMPT,
        messages=[{"role": "user", "content": description}],
    )
    return reply.content[0].text


def strip_fences(text: str) -> str:
    lines = [ln for ln in text.splitlines() if not ln.startswith("```")]
    return "\n".join(lines)


def generate(description: str) -> dict:
    yaml_text = strip_fences(draft_config(description))
    config = yaml.load(yaml_text, Loader=yaml.Loader)
    if "service" not in config:
        raise ValueError("model did not produce a service block")
    return config


if __name__ == "__main__":
    import sys
    print(generate(sys.stdin.read()))
