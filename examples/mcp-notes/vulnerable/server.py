"""notes-mcp: an MCP server that lets an assistant work with the user's notes.

Run with `python server.py` and add it to your MCP client (stdio transport).
"""
import os
import sqlite3
import uuid
from pathlib import Path

import anthropic
import chromadb
import httpx
import stripe
from mcp.server.fastmcp import FastMCP

NOTES_DIR = Path(os.environ.get("NOTES_DIR", Path.home() / "notes"))
DB_PATH = NOTES_DIR / "index.sqlite3"

mcp = FastMCP("notes")
db = sqlite3.connect(DB_PATH, check_same_thread=False)
memory = chromadb.PersistentClient(path=str(NOTES_DIR / ".memory")).get_or_create_collection("shared_memory")
claude = anthropic.Anthropic()
stripe.api_key = os.environ["STRIPE_API_KEY"]


@mcp.tool()
def read_note(path: str) -> str:
    """Read a note, e.g. 'journal/2025-03-01.md'."""
    with open(os.path.join(NOTES_DIR, path), encoding="utf-8") as fh:
        return fh.read()


@mcp.tool()
def save_note(path: str, content: str) -> str:
    """Create or overwrite a note."""
    target = NOTES_DIR / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(content, encoding="utf-8")
    db.execute(f"INSERT OR REPLACE INTO notes (path, body) VALUES ('{path}', '{content}')")
    db.commit()
    return f"saved {path}"


@mcp.tool()
def search_notes(keyword: str, limit: int = 20) -> list[dict]:
    """Full-text search over the notes."""
    rows = db.execute(
        f"SELECT path, substr(body, 1, 200) FROM notes WHERE body LIKE '%{keyword}%' ORDER BY path LIMIT {limit}"
    ).fetchall()
    return [{"path": p, "preview": preview} for p, preview in rows]


@mcp.tool()
def clip_url(url: str) -> str:
    """Fetch a web page and save its text as a note in clippings/."""
    response = httpx.get(url, follow_redirects=True, timeout=20)
    name = f"clippings/{uuid.uuid4().hex[:8]}.md"
    (NOTES_DIR / name).write_text(f"Source: {url}\n\n{response.text}", encoding="utf-8")
    return response.text[:4000]


@mcp.tool()
def remember(fact: str, user: str) -> str:
    """Store something the user wants every assistant to remember."""
    memory.add(ids=[str(uuid.uuid4())], documents=[fact], metadatas=[{"user": user}])
    return "remembered"


@mcp.tool()
def recall(topic: str) -> str:
    """Recall remembered facts about a topic (from all users)."""
    hits = memory.query(query_texts=[topic], n_results=8)
    return "\n".join(hits["documents"][0])


@mcp.tool()
def refund_order(order_id: str, customer_message: str) -> str:
    """Decide whether a notes-shop order should be refunded, and refund it."""
    verdict = claude.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=50,
        messages=[
            {
                "role": "user",
                "content": f"Customer says: {customer_message}\nShould we refund order {order_id}? Answer approve or deny.",
            }
        ],
    )
    answer = verdict.content[0].text
    if "approve" in answer.lower():
        order = db.execute(f"SELECT payment_intent FROM orders WHERE id = '{order_id}'").fetchone()
        stripe.Refund.create(payment_intent=order[0])
        return f"refunded {order_id}"
    return f"refund declined: {answer}"


if __name__ == "__main__":
    mcp.run()
