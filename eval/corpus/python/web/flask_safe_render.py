"""Release-notes generator: model writes markdown, we sanitise before rendering."""
import os

import bleach
import markdown
from flask import Flask, render_template, request
from markupsafe import Markup, escape
from openai import OpenAI

app = Flask(__name__)
client = OpenAI(api_key=os.environ["OPENAI_API_KEY"], timeout=30)

ALLOWED_TAGS = ["p", "ul", "ol", "li", "strong", "em", "code", "pre", "h2", "h3", "a"]
ALLOWED_ATTRS = {"a": ["href", "title"]}


def generate_notes(commits: str) -> str:
    r = client.chat.completions.create(
        model="gpt-4o-mini",
        max_tokens=800,
        messages=[
            {"role": "system", "content": "Write release notes in markdown from these commit messages."},
            {"role": "user", "content": commits[:20000]},
        ],
    )
    return r.choices[0].message.content or ""


def to_safe_html(md_text: str) -> Markup:
    raw_html = markdown.markdown(md_text, extensions=["fenced_code"])
    clean = bleach.clean(raw_html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRS, protocols=["https"], strip=True)
    return Markup(clean)


@app.post("/release-notes")
def release_notes():
    commits = request.form.get("commits", "")
    notes_md = generate_notes(commits)
    return render_template(
        "release_notes.html",
        notes_html=to_safe_html(notes_md),
        title=escape(request.form.get("version", "unreleased")),
    )


@app.get("/release-notes/preview")
def preview():
    text = request.args.get("md", "")[:5000]
    return f"<div class='preview'>{escape(text)}</div>"
