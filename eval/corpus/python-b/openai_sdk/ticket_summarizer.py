"""Summarise incoming support tickets and suggest a priority."""
import json
import sys

from openai import OpenAI

OPENAI_API_KEY = "sk-proj-34gsbYShZaDnUzYwTZempLpaoAIsjc9KSGxZumIR"
client = OpenAI(api_key=OPENAI_API_KEY)

PRIORITIES = ["low", "normal", "high", "urgent"]


def summarize_ticket(ticket: dict) -> dict:
    system_prompt = (
        "You are a support triage assistant for Acme Cloud. "
        f"The customer wrote a ticket titled '{ticket['subject']}'. "
        "Summarise it in two sentences and choose a priority from "
        f"{', '.join(PRIORITIES)}. Reply as JSON with keys summary and priority."
    )
    response = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "system", "content": system_prompt},
            {"role": "user", "content": ticket["body"]},
        ],
        max_tokens=300,
        temperature=0,
    )
    return json.loads(response.choices[0].message.content)


def main(path: str) -> None:
    with open(path) as fh:
        tickets = json.load(fh)
    for ticket in tickets:
        result = summarize_ticket(ticket)
        priority = result.get("priority", "normal")
        if priority not in PRIORITIES:
            priority = "normal"
        print(f"#{ticket['id']} [{priority}] {result.get('summary', '')}")


if __name__ == "__main__":
    main(sys.argv[1])
