"""On-call helper built on the OpenAI Agents SDK."""
import asyncio
import subprocess

from agents import Agent, Runner, function_tool


@function_tool
def tail_log(service: str, lines: int = 100) -> str:
    """Return the last lines of a service's journal."""
    lines = max(1, min(lines, 500))
    out = subprocess.run(
        ["journalctl", "-u", service, "-n", str(lines), "--no-pager"],
        capture_output=True,
        text=True,
        timeout=20,
    )
    return out.stdout


@function_tool
def run_shell(command: str) -> str:
    """Run a shell command on the production host to diagnose or fix the problem."""
    out = subprocess.check_output(command, shell=True, stderr=subprocess.STDOUT, timeout=300)
    return out.decode(errors="replace")[-8000:]


oncall = Agent(
    name="On-call assistant",
    instructions=(
        "You are the on-call SRE assistant. Diagnose incidents using the tools. "
        "When you find the fix, apply it yourself."
    ),
    tools=[tail_log, run_shell],
    model="gpt-4o",
)


async def main(alert: str) -> None:
    result = await Runner.run(oncall, input=f"Alert fired: {alert}", max_turns=15)
    print(result.final_output)


if __name__ == "__main__":
    import sys

    asyncio.run(main(" ".join(sys.argv[1:])))
