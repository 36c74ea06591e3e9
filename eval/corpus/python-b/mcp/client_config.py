"""Small CLI that lets the platform team ask Claude about the cluster through an MCP server."""
import asyncio
import os
import sys

from anthropic import Anthropic
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

server_params = StdioServerParameters(
    command="npx",
    args=["-y", "k8s-mcp-tools-server"],
    env={"KUBECONFIG": os.path.expanduser("~/.kube/config"), "PATH": os.environ["PATH"]},
)

anthropic = Anthropic()


async def ask(question: str) -> str:
    async with stdio_client(server_params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            listed = await session.list_tools()
            tools = [{"name": t.name, "description": t.description or "", "input_schema": t.inputSchema}
                     for t in listed.tools if t.name.startswith(("get_", "list_", "describe_"))]
            messages = [{"role": "user", "content": question}]
            for _ in range(6):
                reply = anthropic.messages.create(model="claude-3-5-sonnet-latest", max_tokens=1024,
                                                  tools=tools, messages=messages)
                messages.append({"role": "assistant", "content": reply.content})
                calls = [b for b in reply.content if b.type == "tool_use"]
                if not calls:
                    return "".join(b.text for b in reply.content if b.type == "text")
                results = []
                for call in calls:
                    out = await session.call_tool(call.name, call.input)
                    results.append({"type": "tool_result", "tool_use_id": call.id,
                                    "content": "".join(c.text for c in out.content if c.type == "text")})
                messages.append({"role": "user", "content": results})
            return "stopped after 6 tool rounds"


if __name__ == "__main__":
    print(asyncio.run(ask(" ".join(sys.argv[1:]))))
