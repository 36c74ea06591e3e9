"""MCP server giving agents read access to the reporting database."""
import psycopg
from mcp.server.fastmcp import FastMCP

DSN = "postgresql://reporting_admin:Rep0rt!ng-2024@reporting-db.prod.internal:5432/reporting"

mcp = FastMCP("reporting-db")


def connect():
    return psycopg.connect(DSN, autocommit=True)


@mcp.tool()
def list_tables() -> list[str]:
    """List tables in the public schema."""
    with connect() as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", ("public",)
        ).fetchall()
    return [r[0] for r in rows]


@mcp.tool()
def top_rows(table: str, order_by: str = "id", limit: int = 20) -> list[dict]:
    """Return the first rows of a table ordered by a column."""
    limit = max(1, min(limit, 200))
    with connect() as conn:
        cur = conn.execute(f"SELECT * FROM {table} ORDER BY {order_by} LIMIT {limit}")
        cols = [c.name for c in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]


@mcp.tool()
def count_rows(table: str) -> int:
    """Count the rows in a table."""
    if table not in list_tables():
        raise ValueError(f"unknown table {table}")
    with connect() as conn:
        return conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]


if __name__ == "__main__":
    mcp.run()
