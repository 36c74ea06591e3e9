"""Analytics assistant: answers business questions against the warehouse."""
import os
import sqlite3
import sys

from langchain.agents import AgentExecutor, create_tool_calling_agent
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.tools import tool
from langchain_experimental.tools import PythonREPLTool
from langchain_openai import ChatOpenAI

DB_PATH = os.getenv("WAREHOUSE_DB", "/data/warehouse.db")

model = ChatOpenAI(model="gpt-4o", temperature=0, max_tokens=800)


def _connect():
    return sqlite3.connect(DB_PATH)


@tool
def run_query(statement: str) -> str:
    """Run a SQL statement against the warehouse and return up to 50 rows."""
    conn = _connect()
    try:
        cur = conn.cursor()
        cur.execute(statement)
        conn.commit()
        return str(cur.fetchmany(50))
    finally:
        conn.close()


prompt = ChatPromptTemplate.from_messages([
    ("system", "You are a data analyst. Use run_query to answer with SQL. "
               "Use the python tool for charts and calculations."),
    ("human", "{question}"),
    ("placeholder", "{agent_scratchpad}"),
])

analyst_tools = [run_query, PythonREPLTool()]
agent = create_tool_calling_agent(model, analyst_tools, prompt)
executor = AgentExecutor(agent=agent, tools=analyst_tools, max_iterations=8)


def answer(question: str) -> str:
    result = executor.invoke({"question": question})
    return result["output"]


if __name__ == "__main__":
    print(answer(" ".join(sys.argv[1:])))
