"""Chat assistant that can tidy up the shared project drive via function calling."""
import json
import os
import shutil

from openai import OpenAI

client = OpenAI()

TOOLS = [
    {"type": "function", "function": {
        "name": "list_dir",
        "description": "List the entries of a directory",
        "parameters": {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]},
    }},
    {"type": "function", "function": {
        "name": "delete_path",
        "description": "Delete a file or a whole directory tree",
        "parameters": {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]},
    }},
]


def list_dir(path: str) -> str:
    return "\n".join(sorted(os.listdir(path)))


def delete_path(path: str) -> str:
    if os.path.isdir(path):
        shutil.rmtree(path)
    else:
        os.remove(path)
    return f"deleted {path}"


HANDLERS = {"list_dir": list_dir, "delete_path": delete_path}


def run(user_request: str) -> str:
    messages = [
        {"role": "system", "content": "You help clean up the shared drive mounted at /mnt/shared."},
        {"role": "user", "content": user_request},
    ]
    for _ in range(10):
        response = client.chat.completions.create(model="gpt-4o", messages=messages, tools=TOOLS)
        msg = response.choices[0].message
        if not msg.tool_calls:
            return msg.content
        messages.append(msg)
        for call in msg.tool_calls:
            args = json.loads(call.function.arguments)
            result = HANDLERS[call.function.name](**args)
            messages.append({"role": "tool", "tool_call_id": call.id, "content": result})
    return "Stopped after 10 tool rounds."


if __name__ == "__main__":
    print(run(input("What should I clean up? ")))
