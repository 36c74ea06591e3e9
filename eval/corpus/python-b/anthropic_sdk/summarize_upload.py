"""Public 'summarise my PDF text' endpoint for the marketing site."""
import anthropic
from flask import Flask, jsonify, request

app = Flask(__name__)
client = anthropic.Anthropic()

CHUNK_CHARS = 12_000


def summarize_chunk(chunk: str) -> str:
    msg = client.messages.create(
        model="claude-3-5-sonnet-latest",
        max_tokens=1024,
        messages=[{"role": "user", "content": f"Summarise this section in 5 bullet points:\n\n{chunk}"}],
    )
    return msg.content[0].text


@app.post("/api/summarize")
def summarize():
    text = request.files["document"].read().decode("utf-8", errors="ignore")
    chunks = [text[i:i + CHUNK_CHARS] for i in range(0, len(text), CHUNK_CHARS)]
    partials = []
    for chunk in chunks:
        partials.append(summarize_chunk(chunk))
    final = client.messages.create(
        model="claude-3-5-sonnet-latest",
        max_tokens=1024,
        messages=[{"role": "user", "content": "Merge these partial summaries:\n\n" + "\n\n".join(partials)}],
    )
    return jsonify(summary=final.content[0].text, sections=len(chunks))


@app.get("/health")
def health():
    return "ok"


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000)
