"""Read-only MCP server over the product catalogue database."""
import os
import sqlite3
from contextlib import closing

from mcp.server.fastmcp import FastMCP

DB_URI = f"file:{os.getenv('CATALOGUE_DB', '/data/catalogue.db')}?mode=ro"
SORTABLE = {"name", "price", "updated_at"}
mcp = FastMCP("catalogue")


def _conn() -> sqlite3.Connection:
    conn = sqlite3.connect(DB_URI, uri=True, timeout=5)
    conn.row_factory = sqlite3.Row
    return conn


@mcp.tool()
def search_products(term: str, max_price: float | None = None,
                    sort_by: str = "name", limit: int = 20) -> list[dict]:
    """Search products by name, optionally under a price, sorted by a column."""
    column = sort_by if sort_by in SORTABLE else "name"
    limit = max(1, min(int(limit), 50))
    sql = f"SELECT sku, name, price FROM products WHERE name LIKE ? AND price <= ? ORDER BY {column} LIMIT ?"
    params = (f"%{term}%", max_price if max_price is not None else 1e12, limit)
    with closing(_conn()) as conn:
        return [dict(r) for r in conn.execute(sql, params).fetchall()]


@mcp.tool()
def product_detail(sku: str) -> dict | None:
    """Return one product by SKU."""
    with closing(_conn()) as conn:
        row = conn.execute("SELECT * FROM products WHERE sku = ?", (sku,)).fetchone()
    return dict(row) if row else None


if __name__ == "__main__":
    mcp.run()
