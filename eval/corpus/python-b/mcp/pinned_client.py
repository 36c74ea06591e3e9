"""Small CLI that lets the docs team ask Claude about the shared docs folder through MCP."""
import asyncio
import os
import sys

from anthropic import Anthropic
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

DOCS_DIR = "/srv/shared/docs"

# Official reference server, pinned to a reviewed release; only the docs folder is exposed.
server_params = StdioServerParameters(
    command="npx",
    args=["--yes", "@modelcontextprotocol/server-filesystem@0.6.2", DOCS_DIR],
    env={"PATH": os.environ["PATH"]},
)

READ_ONLY_TOOLS = {"read_file", "list_directory", "search_files", "get_file_info"}
anthropic = Anthropic()


async def ask(question: str) -> str:
    async with stdio_client(server_params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            listed = await session.list_tools()
            tools = [{"name": t.name, "description": t.description or "", "input_schema": t.inputSchema}
                     for t in listed.tools if t.name in READ_ONLY_TOOLS]
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
                    if call.name not in READ_ONLY_TOOLS:
                        results.append({"type": "tool_result", "tool_use_id": call.id,
                                        "content": "tool not allowed", "is_error": True})
                        continue
                    out = await session.call_tool(call.name, call.input)
                    results.append({"type": "tool_result", "tool_use_id": call.id,
                                    "content": "".join(c.text for c in out.content if c.type == "text")})
                messages.append({"role": "user", "content": results})
            return "stopped after 6 tool rounds"


if __name__ == "__main__":
    print(asyncio.run(ask(" ".join(sys.argv[1:]))))
