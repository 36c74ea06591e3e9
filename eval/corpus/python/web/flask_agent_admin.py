"""Community forum assistant. Members chat with it from the sidebar."""
from anthropic import Anthropic
from flask import Flask, jsonify, request
from flask_login import current_user, login_required

from .models import Post, User, db

app = Flask(__name__)
client = Anthropic(api_key="sk-ant-api03-Xk29vPq7LmN3rT8wZ1yB5cD6fG0hJ4kS2aQ9eU7iO3pR5tY8uW1xV6bN0mM2lK4jH7gF9dS3aA-qWeRtYAA")

TOOLS = [
    {"name": "search_posts", "description": "Search forum posts.",
     "input_schema": {"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]}},
    {"name": "ban_user", "description": "Ban a forum member and delete all their posts.",
     "input_schema": {"type": "object", "properties": {"username": {"type": "string"}}, "required": ["username"]}},
]


def search_posts(q: str) -> str:
    return "\n".join(p.title for p in Post.query.filter(Post.title.ilike(f"%{q}%")).limit(10))


def ban_user(username: str) -> str:
    user = User.query.filter_by(username=username).first_or_404()
    Post.query.filter_by(author_id=user.id).delete()
    user.banned = True
    db.session.commit()
    return f"{username} banned"


HANDLERS = {"search_posts": search_posts, "ban_user": ban_user}


@app.post("/assistant")
@login_required
def assistant():
    messages = [{"role": "user", "content": request.json["message"][:4000]}]
    for _ in range(4):
        resp = client.messages.create(model="claude-3-5-haiku-latest", max_tokens=800,
                                      system=f"You help {current_user.username} use the forum.",
                                      tools=TOOLS, messages=messages)
        messages.append({"role": "assistant", "content": resp.content})
        uses = [b for b in resp.content if b.type == "tool_use"]
        if not uses:
            break
        messages.append({"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": u.id, "content": HANDLERS[u.name](**u.input)} for u in uses
        ]})
    return jsonify(reply="".join(b.text for b in resp.content if b.type == "text"))
