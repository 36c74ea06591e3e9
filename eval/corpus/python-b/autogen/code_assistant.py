"""Internal 'ask the data bot' service: the assistant writes and runs Python to answer."""
import os

from autogen import AssistantAgent, UserProxyAgent
from flask import Flask, jsonify, request

llm_config = {
    "config_list": [{"model": "gpt-4o", "api_key": os.environ["OPENAI_API_KEY"]}],
    "temperature": 0,
}

app = Flask(__name__)


def make_agents():
    assistant = AssistantAgent(
        name="data_analyst",
        system_message="You are a data analyst. Write Python code to answer questions about the files in ./data. "
                       "Reply TERMINATE when done.",
        llm_config=llm_config,
    )
    executor = UserProxyAgent(
        name="executor",
        human_input_mode="NEVER",
        max_consecutive_auto_reply=10,
        code_execution_config={"work_dir": "workspace", "use_docker": False},
        is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""),
    )
    return assistant, executor


@app.post("/ask")
def ask():
    question = request.json["question"]
    assistant, executor = make_agents()
    chat = executor.initiate_chat(assistant, message=question)
    return jsonify(answer=chat.summary)


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5050)
