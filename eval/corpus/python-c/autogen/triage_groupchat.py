"""Incident triage group chat exposed to the internal status page."""
import os

from autogen import AssistantAgent, GroupChat, GroupChatManager, UserProxyAgent
from flask import Flask, jsonify, request

app = Flask(__name__)

llm_config = {
    "config_list": [{"model": "gpt-4o", "api_key": os.environ["OPENAI_API_KEY"]}],
    "max_tokens": 700,
}

DB_HELP = (
    "You are the database expert. If you need live numbers, the read replica is "
    "postgres://triage_bot:Tr1age!2024@db-replica.internal:5432/prod - "
    "tell the engineer which query to run."
)

db_expert = AssistantAgent("db_expert", system_message=DB_HELP, llm_config=llm_config)
net_expert = AssistantAgent(
    "net_expert",
    system_message="You are the networking expert. Diagnose connectivity issues.",
    llm_config=llm_config,
)
lead = UserProxyAgent("lead", human_input_mode="NEVER", code_execution_config=False)


def build_chat(rounds: int) -> GroupChatManager:
    chat = GroupChat(agents=[lead, db_expert, net_expert], messages=[], max_round=rounds)
    return GroupChatManager(groupchat=chat, llm_config=llm_config)


@app.post("/triage")
def triage():
    body = request.get_json()
    rounds = int(body.get("rounds", 10))
    manager = build_chat(rounds)
    result = lead.initiate_chat(manager, message=body["incident"])
    return jsonify({"summary": result.summary})
