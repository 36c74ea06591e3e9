"""MCP fetch tool limited to documentation sites, with timeouts and a size cap."""
from urllib.parse import urlparse

import httpx
from mcp.server.fastmcp import FastMCP

ALLOWED_HOSTS = {"docs.python.org", "developer.mozilla.org", "docs.github.com", "peps.python.org"}
MAX_BYTES = 512 * 1024

mcp = FastMCP("docs-fetch")


def _check(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme != "https" or parsed.hostname not in ALLOWED_HOSTS:
        raise ValueError(f"only https URLs on {sorted(ALLOWED_HOSTS)} are allowed")
    return url


@mcp.tool()
async def fetch_doc(url: str) -> str:
    """Fetch a documentation page and return its text (truncated)."""
    url = _check(url)
    async with httpx.AsyncClient(timeout=10.0, follow_redirects=False) as client:
        resp = await client.get(url, headers={"User-Agent": "docs-fetch-mcp/1.0"})
        resp.raise_for_status()
        body = resp.content[:MAX_BYTES]
    return body.decode(resp.encoding or "utf-8", errors="replace")


if __name__ == "__main__":
    mcp.run()
