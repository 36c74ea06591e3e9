"""#ops-bot: lets the on-call channel ask an agent to investigate production hosts."""
from flask import Flask, jsonify, request
from langchain.agents import AgentExecutor, create_react_agent
from langchain_community.tools import ShellTool
from langchain_core.prompts import PromptTemplate
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI

REACT_TEMPLATE = """Answer the following request from the on-call engineer as best you can.
You have access to the following tools:

{tools}

Use the following format:

Question: the input question you must answer
Thought: you should always think about what to do
Action: the action to take, should be one of [{tool_names}]
Action Input: the input to the action
Observation: the result of the action
... (this Thought/Action/Action Input/Observation can repeat N times)
Thought: I now know the final answer
Final Answer: the final answer to the original input question

Question: {input}
Thought:{agent_scratchpad}"""


@tool
def service_status(name: str) -> str:
    """Return the health-check status of a service."""
    return f"{name}: healthy"


llm = ChatOpenAI(model="gpt-4o", temperature=0)
tools = [ShellTool(), service_status]
agent = create_react_agent(llm, tools, PromptTemplate.from_template(REACT_TEMPLATE))
executor = AgentExecutor(
    agent=agent,
    tools=tools,
    verbose=True,
    handle_parsing_errors=True,
    max_iterations=None,
)

app = Flask(__name__)


@app.post("/slack/ops-bot")
def ops_bot():
    text = request.form["text"]
    result = executor.invoke({"input": text})
    return jsonify(response_type="in_channel", text=result["output"])


if __name__ == "__main__":
    app.run(port=3000)
