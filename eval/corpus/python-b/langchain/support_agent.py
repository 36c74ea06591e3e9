"""Customer support agent with read-only tools, served from the help widget."""
from flask import Flask, jsonify, request, session
from langchain.agents import AgentExecutor, create_react_agent
from langchain_core.prompts import PromptTemplate
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI

from shop.orders import get_order_for_customer
from shop.kb import search_articles

REACT_TEMPLATE = """You are the Acme help-centre assistant. Answer the customer's question.
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

app = Flask(__name__)
llm = ChatOpenAI(model="gpt-4o-mini", temperature=0, max_tokens=600)


def build_executor(customer_id: int) -> AgentExecutor:
    @tool
    def order_status(order_id: str) -> str:
        """Status of one of the signed-in customer's orders."""
        order = get_order_for_customer(customer_id=customer_id, order_id=order_id)
        return order.status if order else "no such order for this customer"

    @tool
    def help_articles(query: str) -> str:
        """Search public help-centre articles."""
        return "\n".join(a.summary for a in search_articles(query, limit=3))

    tools = [order_status, help_articles]
    agent = create_react_agent(llm, tools, PromptTemplate.from_template(REACT_TEMPLATE))
    return AgentExecutor(agent=agent, tools=tools, max_iterations=6, max_execution_time=30,
                         handle_parsing_errors=True)


@app.post("/api/help")
def help_chat():
    question = request.json["question"][:1000]
    result = build_executor(session["customer_id"]).invoke({"input": question})
    return jsonify(answer=result["output"])
