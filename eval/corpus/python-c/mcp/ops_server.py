"""MCP server exposing a few vetted maintenance scripts to the ops assistant."""
import logging
import os
import subprocess

from mcp.server.fastmcp import FastMCP

log = logging.getLogger("ops-mcp")
SCRIPTS_DIR = "/opt/ops/scripts"
VETTED = {
    "rotate_logs": "rotate_logs.sh",
    "clear_cache": "clear_cache.sh",
    "check_certs": "check_certs.sh",
}
mcp = FastMCP("ops-scripts")


@mcp.tool()
def available_scripts() -> list[str]:
    """List maintenance scripts that can be run."""
    return sorted(VETTED)


@mcp.tool()
def run_script(name: str, target_host: str) -> str:
    """Run a vetted maintenance script against a host."""
    if name not in VETTED:
        return f"unknown script {name}"
    script = os.path.join(SCRIPTS_DIR, VETTED[name])
    log.info("running %s on %s", name, target_host)
    result = subprocess.run(f"{script} --host {target_host}", shell=True,
                            capture_output=True, text=True, timeout=300)
    return (result.stdout + result.stderr)[-4000:]


@mcp.tool()
def script_help(name: str) -> str:
    """Show usage text for a vetted script."""
    if name not in VETTED:
        return f"unknown script {name}"
    path = os.path.join(SCRIPTS_DIR, VETTED[name])
    return subprocess.run([path, "--help"], capture_output=True, text=True, timeout=10).stdout


if __name__ == "__main__":
    mcp.run()
