"""Explain a code snippet and render the explanation into a small HTML report."""
import ast
import html
import os
from pathlib import Path

from openai import OpenAI

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])

DEFAULTS = ast.literal_eval("{'model': 'gpt-4o-mini', 'max_tokens': 700}")
RATE = eval("60 * 60")  # seconds per hour, constant expression

TEMPLATE = """<!doctype html>
<html><body>
<h1>Explanation of {name}</h1>
<pre><code>{code}</code></pre>
<div class="explanation">{explanation}</div>
</body></html>"""


def explain(code: str) -> str:
    resp = client.chat.completions.create(
        model=DEFAULTS["model"],
        max_tokens=DEFAULTS["max_tokens"],
        messages=[
            {"role": "system", "content": "Explain what the given code does, step by step."},
            {"role": "user", "content": code},
        ],
    )
    return resp.choices[0].message.content or ""


def render_report(path: Path) -> str:
    code = path.read_text(encoding="utf-8")[:20000]
    explanation = explain(code)
    return TEMPLATE.format(
        name=html.escape(path.name),
        code=html.escape(code),
        explanation=html.escape(explanation).replace("\n", "<br>"),
    )


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1])
    out = target.with_suffix(".explained.html")
    out.write_text(render_report(target), encoding="utf-8")
    print(f"wrote {out} (budget {RATE}s/hour)")
