"""Generates product description blurbs shown on the storefront."""
import os

from flask import Flask, Response, request
from markupsafe import Markup
from openai import OpenAI

app = Flask(__name__)
client = OpenAI(api_key=os.environ["OPENAI_API_KEY"], timeout=30)

TEMPLATE = """<html><body>
<h2>{title}</h2>
<section class="blurb">{blurb}</section>
</body></html>"""


def generate_blurb(title: str, features: str) -> str:
    resp = client.chat.completions.create(
        model="gpt-4o-mini",
        max_tokens=250,
        messages=[
            {"role": "system", "content": "Write a short, upbeat product blurb in HTML paragraphs."},
            {"role": "user", "content": f"Product: {title}\nFeatures: {features}"},
        ],
    )
    return resp.choices[0].message.content


@app.get("/preview")
def preview():
    title = Markup.escape(request.args.get("title", ""))
    features = request.args.get("features", "")
    blurb = generate_blurb(str(title), features)
    page = TEMPLATE.format(title=title, blurb=blurb)
    return Response(page, mimetype="text/html")
