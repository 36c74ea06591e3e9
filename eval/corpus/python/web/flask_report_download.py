"""'Find me the report' assistant for the finance intranet."""
import json
import os

from flask import Flask, abort, request, send_file
from openai import OpenAI

app = Flask(__name__)
client = OpenAI()
REPORT_DIR = "/srv/finance/reports"


def report_catalogue() -> list[str]:
    return sorted(os.listdir(REPORT_DIR))[:300]


def choose_report(query: str) -> dict:
    resp = client.chat.completions.create(
        model="gpt-4o-mini",
        max_tokens=100,
        response_format={"type": "json_object"},
        messages=[
            {
                "role": "system",
                "content": "Pick the report file that best matches the request. "
                'Reply as JSON {"filename": "..."}. Available files:\n' + "\n".join(report_catalogue()),
            },
            {"role": "user", "content": query},
        ],
    )
    return json.loads(resp.choices[0].message.content)


@app.get("/reports/find")
def find_report():
    query = request.args.get("q", "")
    if not query:
        abort(400)
    choice = choose_report(query)
    path = os.path.join(REPORT_DIR, choice["filename"])
    return send_file(path, as_attachment=True)


if __name__ == "__main__":
    app.run(port=8081)
