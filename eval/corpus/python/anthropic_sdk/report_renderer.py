"""Weekly account report page: Claude writes the narrative, Flask renders it."""
import os

from anthropic import Anthropic
from flask import Flask, render_template
from markupsafe import Markup

from .metrics import load_account_metrics

app = Flask(__name__)
client = Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])


def narrative_for(account_id: str) -> str:
    metrics = load_account_metrics(account_id)
    prompt = (
        "Write a short HTML fragment (use <p> and <strong>) describing this week's account metrics "
        "for the customer success manager:\n" + "\n".join(f"- {k}: {v}" for k, v in metrics.items())
    )
    msg = client.messages.create(
        model="claude-3-5-haiku-latest",
        max_tokens=700,
        messages=[{"role": "user", "content": prompt}],
    )
    return msg.content[0].text


@app.get("/accounts/<account_id>/weekly")
def weekly(account_id: str):
    body = narrative_for(account_id)
    return render_template("weekly.html", account_id=account_id, narrative=Markup(body))


if __name__ == "__main__":
    app.run(port=8080)
