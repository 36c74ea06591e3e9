"""Claude-powered file organiser: proposes moves, a human confirms each one."""
import os
import shutil
from pathlib import Path

import anthropic

client = anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])
ROOT = Path(os.environ.get("ORGANISE_ROOT", "~/Downloads")).expanduser().resolve()
MAX_STEPS = 8

TOOLS = [
    {
        "name": "list_files",
        "description": "List file names in the downloads folder.",
        "input_schema": {"type": "object", "properties": {}},
    },
    {
        "name": "move_file",
        "description": "Move a file into a sub-folder of the downloads folder.",
        "input_schema": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "folder": {"type": "string"}},
            "required": ["name", "folder"],
        },
    },
]


def inside_root(p: Path) -> bool:
    return p.resolve().is_relative_to(ROOT)


def list_files() -> str:
    return "\n".join(sorted(p.name for p in ROOT.iterdir() if p.is_file())[:200])


def move_file(name: str, folder: str) -> str:
    src, dst_dir = ROOT / name, ROOT / folder
    if not (inside_root(src) and inside_root(dst_dir)):
        return "refused: path outside the downloads folder"
    answer = input(f"Move {src.name} -> {folder}/ ? [y/N] ")
    if answer.strip().lower() != "y":
        return "the user declined"
    dst_dir.mkdir(exist_ok=True)
    shutil.move(str(src), str(dst_dir / src.name))
    return "moved"


def organise() -> None:
    messages = [{"role": "user", "content": "Sort my downloads into sensible folders."}]
    for _ in range(MAX_STEPS):
        resp = client.messages.create(
            model="claude-3-5-sonnet-latest", max_tokens=1024, tools=TOOLS, messages=messages
        )
        messages.append({"role": "assistant", "content": resp.content})
        if resp.stop_reason != "tool_use":
            break
        results = []
        for block in resp.content:
            if block.type != "tool_use":
                continue
            if block.name == "list_files":
                out = list_files()
            elif block.name == "move_file":
                out = move_file(**block.input)
            else:
                out = "unknown tool"
            results.append({"type": "tool_result", "tool_use_id": block.id, "content": out})
        messages.append({"role": "user", "content": results})


if __name__ == "__main__":
    organise()
