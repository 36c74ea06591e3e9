"""MCP server that gives Claude Desktop / Cursor access to the analytics warehouse."""
import os

import psycopg
from psycopg.rows import dict_row
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("warehouse")

DSN = os.environ["WAREHOUSE_ADMIN_DSN"]


@mcp.tool()
def list_tables() -> list[str]:
    """List the tables in the public schema."""
    with psycopg.connect(DSN) as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchall()
    return [r[0] for r in rows]


@mcp.tool()
def run_sql(query: str) -> list[dict]:
    """Run any SQL statement against the production warehouse and return the result rows."""
    with psycopg.connect(DSN, autocommit=True, row_factory=dict_row) as conn:
        cur = conn.execute(query)
        return cur.fetchall() if cur.description else [{"rowcount": cur.rowcount}]


@mcp.resource("schema://{table}")
def table_schema(table: str) -> str:
    """Column names and types of a table."""
    with psycopg.connect(DSN) as conn:
        rows = conn.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s", (table,)
        ).fetchall()
    return "\n".join(f"{name}: {dtype}" for name, dtype in rows)


if __name__ == "__main__":
    mcp.run()
