"""Data-ops agent built with LangGraph's prebuilt ReAct agent."""
import os

import sqlalchemy as sa
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI
from langgraph.prebuilt import create_react_agent

engine = sa.create_engine(os.environ["WAREHOUSE_URL"])  # service account with owner rights


@tool
def list_tables() -> str:
    """List the tables in the warehouse."""
    return ", ".join(sa.inspect(engine).get_table_names())


@tool
def execute_sql(statement: str) -> str:
    """Execute any SQL statement against the production warehouse and return the rows."""
    with engine.begin() as conn:
        result = conn.execute(sa.text(statement))
        if result.returns_rows:
            return "\n".join(str(r) for r in result.fetchmany(200))
        return f"{result.rowcount} rows affected"


model = ChatOpenAI(model="gpt-4o", temperature=0)
agent = create_react_agent(
    model,
    tools=[list_tables, execute_sql],
    prompt="You are a data engineer. Fix data issues the user reports.",
)


def run(task: str) -> str:
    final = agent.invoke(
        {"messages": [("user", task)]},
        config={"recursion_limit": 100_000},
    )
    return final["messages"][-1].content


if __name__ == "__main__":
    import sys

    print(run(" ".join(sys.argv[1:])))
