"""MCP server that gives Claude Desktop a persistent Python kernel."""
import contextlib
import io
import traceback

from mcp.server.fastmcp import Context, FastMCP

mcp = FastMCP("python-kernel")
SESSION_GLOBALS: dict = {"__name__": "__mcp_kernel__"}


@mcp.tool()
async def execute_python(code: str, ctx: Context) -> str:
    """Execute Python code in a persistent session and return stdout."""
    buf = io.StringIO()
    await ctx.info(f"executing {len(code)} chars")
    with contextlib.redirect_stdout(buf):
        try:
            exec(code, SESSION_GLOBALS)
        except Exception:  # noqa: BLE001
            traceback.print_exc(file=buf)
    return buf.getvalue()[-20000:]


@mcp.tool()
def list_variables() -> dict[str, str]:
    """Names and types of variables defined in the session."""
    return {k: type(v).__name__ for k, v in SESSION_GLOBALS.items() if not k.startswith("__")}


@mcp.tool()
def reset() -> str:
    """Clear the session."""
    SESSION_GLOBALS.clear()
    SESSION_GLOBALS["__name__"] = "__mcp_kernel__"
    return "session cleared"


if __name__ == "__main__":
    mcp.run(transport="stdio")
