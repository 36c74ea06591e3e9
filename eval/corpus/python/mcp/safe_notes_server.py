"""MCP server for a personal notes folder: confined paths, parameterised queries."""
import os
import sqlite3
from pathlib import Path

from mcp.server.fastmcp import FastMCP

NOTES_DIR = Path(os.environ.get("NOTES_DIR", "~/notes")).expanduser().resolve()
INDEX_DB = NOTES_DIR / ".index.sqlite"
MAX_NOTE_BYTES = 200_000

mcp = FastMCP("notes")


def _confined(name: str) -> Path:
    target = (NOTES_DIR / name).resolve()
    if not target.is_relative_to(NOTES_DIR) or target.suffix != ".md":
        raise ValueError("notes must be .md files inside the notes folder")
    return target


@mcp.tool()
def read_note(name: str) -> str:
    """Read a markdown note by file name."""
    return _confined(name).read_text(encoding="utf-8")[:MAX_NOTE_BYTES]


@mcp.tool()
def append_to_note(name: str, text: str) -> str:
    """Append text to an existing note (never overwrites or deletes)."""
    target = _confined(name)
    if not target.exists():
        raise ValueError("note does not exist")
    with target.open("a", encoding="utf-8") as fh:
        fh.write("\n" + text[:10_000])
    return "appended"


@mcp.tool()
def search_notes(term: str, limit: int = 10) -> list[str]:
    """Full-text search over note titles and bodies."""
    limit = max(1, min(int(limit), 50))
    with sqlite3.connect(INDEX_DB) as conn:
        rows = conn.execute(
            "SELECT name FROM notes_fts WHERE notes_fts MATCH ? ORDER BY rank LIMIT ?",
            (term, limit),
        ).fetchall()
    return [r[0] for r in rows]


if __name__ == "__main__":
    mcp.run()
