"""MCP server that gives Claude Desktop / Cursor read-only reports from the analytics warehouse."""
import os
from datetime import date

import psycopg
from psycopg.rows import dict_row
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("warehouse-reports")

# Role with SELECT on the reporting views only; set via the MCP client config.
DSN = os.environ["WAREHOUSE_READONLY_DSN"]
MAX_ROWS = 200


def _query(sql: str, params: tuple) -> list[dict]:
    with psycopg.connect(DSN, row_factory=dict_row) as conn:
        conn.read_only = True
        conn.execute("SET statement_timeout = '10s'")
        return conn.execute(sql, params).fetchmany(MAX_ROWS)


@mcp.tool()
def revenue_by_region(start: str, end: str) -> list[dict]:
    """Revenue per region between two ISO dates (inclusive)."""
    return _query(
        "SELECT region, SUM(amount) AS revenue FROM reporting.orders_v "
        "WHERE order_date BETWEEN %s AND %s GROUP BY region ORDER BY revenue DESC",
        (date.fromisoformat(start), date.fromisoformat(end)),
    )


@mcp.tool()
def top_products(limit: int = 10) -> list[dict]:
    """Best-selling products of the last 30 days."""
    return _query(
        "SELECT product_name, SUM(quantity) AS units FROM reporting.order_lines_v "
        "WHERE order_date > now() - interval '30 days' GROUP BY product_name ORDER BY units DESC LIMIT %s",
        (max(1, min(limit, 50)),),
    )


if __name__ == "__main__":
    mcp.run()
