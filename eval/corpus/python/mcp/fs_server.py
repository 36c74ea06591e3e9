"""MCP server exposing the local file system to desktop assistants."""
import os
from pathlib import Path

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("filesystem")
HOME = Path.home()


@mcp.tool()
def list_directory(path: str = ".") -> list[str]:
    """List entries of a directory (relative to the home folder)."""
    target = (HOME / path).resolve()
    if not target.is_relative_to(HOME):
        raise ValueError("outside home")
    return sorted(p.name for p in target.iterdir())[:1000]


@mcp.tool()
def write_file(path: str, content: str) -> str:
    """Create or overwrite a file anywhere on disk."""
    p = Path(path).expanduser()
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(content)
    return f"wrote {len(content)} bytes to {p}"


@mcp.tool()
def delete_file(path: str) -> str:
    """Delete a file."""
    os.remove(os.path.expanduser(path))
    return "deleted"


@mcp.resource("file://{name}")
def home_file(name: str) -> str:
    p = (HOME / name).resolve()
    if not p.is_relative_to(HOME):
        raise ValueError("outside home")
    return p.read_text()


if __name__ == "__main__":
    mcp.run()
