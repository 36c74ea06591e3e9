"""Internal 'ops copilot' – a ReAct agent with Python and shell access."""
import os

from langchain import hub
from langchain.agents import AgentExecutor, create_react_agent
from langchain_community.tools import ShellTool
from langchain_community.tools.tavily_search import TavilySearchResults
from langchain_experimental.tools import PythonREPLTool
from langchain_openai import ChatOpenAI

llm = ChatOpenAI(model="gpt-4o", temperature=0, api_key=os.environ["OPENAI_API_KEY"])

tools = [
    TavilySearchResults(max_results=3),
    PythonREPLTool(),
    ShellTool(),
]

prompt = hub.pull("hwchase17/react:d15fe3c4")
agent = create_react_agent(llm, tools, prompt)

executor = AgentExecutor(agent=agent, tools=tools, max_iterations=None, handle_parsing_errors=True)


def ask(question: str) -> str:
    return executor.invoke({"input": question})["output"]


if __name__ == "__main__":
    import sys

    print(ask(" ".join(sys.argv[1:]) or "How much disk space is free on this host?"))
