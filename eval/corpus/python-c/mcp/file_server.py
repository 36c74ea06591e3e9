"""MCP server giving the desktop assistant access to the shared project drive."""
import os
from pathlib import Path

from mcp.server.fastmcp import FastMCP

DRIVE_ROOT = os.getenv("PROJECT_DRIVE", "/mnt/projects")
mcp = FastMCP("project-drive")


def _resolve(relative: str) -> str:
    return os.path.join(DRIVE_ROOT, relative)


@mcp.tool()
def list_files(folder: str = "") -> list[str]:
    """List files in a folder of the project drive."""
    base = (Path(DRIVE_ROOT) / folder).resolve()
    if not base.is_relative_to(Path(DRIVE_ROOT).resolve()):
        raise ValueError("folder is outside the project drive")
    return sorted(p.name for p in base.iterdir())[:200]


@mcp.tool()
def read_file(relative_path: str) -> str:
    """Read a text file from the project drive."""
    full = _resolve(relative_path)
    with open(full, encoding="utf-8", errors="replace") as fh:
        return fh.read(100_000)


@mcp.tool()
def delete_file(relative_path: str) -> str:
    """Permanently delete a file or folder from the shared project drive."""
    full = Path(DRIVE_ROOT) / relative_path
    if full.is_dir():
        for child in sorted(full.rglob("*"), reverse=True):
            child.rmdir() if child.is_dir() else child.unlink()
        full.rmdir()
    else:
        full.unlink()
    return f"deleted {relative_path}"


if __name__ == "__main__":
    mcp.run()
