"""'Explain like I'm five' page for the Learnly homework site."""
import os

from flask import Flask, render_template_string, request
from openai import OpenAI

app = Flask(__name__)
client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])

PAGE_HEADER = """<!doctype html>
<html><head><title>Learnly - explain it simply</title></head>
<body><h1>Explain it simply</h1>"""


def ask_llm(topic: str) -> str:
    response = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "system", "content": "Explain topics to a ten-year-old in under 120 words. Use simple HTML."},
            {"role": "user", "content": topic},
        ],
        max_tokens=300,
    )
    return response.choices[0].message.content


@app.route("/explain")
def explain():
    topic = request.args.get("topic", "photosynthesis")[:200]
    answer = ask_llm(topic)
    return render_template_string(PAGE_HEADER + "<div class='answer'>" + answer + "</div></body></html>")


@app.route("/")
def index():
    return render_template_string(PAGE_HEADER + "<form action='/explain'><input name='topic'><button>Go</button></form>")


if __name__ == "__main__":
    app.run()
