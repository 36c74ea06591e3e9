"""Self-repairing data transform: the LLM writes a pandas transform, a node applies it."""
from typing import TypedDict

import pandas as pd
from langchain_openai import ChatOpenAI
from langgraph.graph import END, START, StateGraph

coder = ChatOpenAI(model="gpt-4o", temperature=0, max_tokens=1000)


class TransformState(TypedDict, total=False):
    instruction: str
    frame: pd.DataFrame
    generated_code: str
    error: str
    attempts: int


def write_code(state: TransformState) -> TransformState:
    hint = f"\nThe previous attempt failed with: {state['error']}" if state.get("error") else ""
    msg = coder.invoke(
        "Write Python that transforms the pandas DataFrame `frame` in place. "
        f"Columns: {list(state['frame'].columns)}. Task: {state['instruction']}.{hint} Output only code."
    )
    code = msg.content.strip().removeprefix("```python").removesuffix("```")
    return {"generated_code": code, "attempts": state.get("attempts", 0) + 1}


def apply_code(state: TransformState) -> TransformState:
    scope = {"frame": state["frame"], "pd": pd}
    try:
        exec(state["generated_code"], scope)
    except Exception as exc:  # noqa: BLE001
        return {"error": repr(exc)}
    return {"frame": scope["frame"], "error": ""}


def retry_or_end(state: TransformState) -> str:
    if state.get("error") and state.get("attempts", 0) < 3:
        return "write_code"
    return END


g = StateGraph(TransformState)
g.add_node("write_code", write_code)
g.add_node("apply_code", apply_code)
g.add_edge(START, "write_code")
g.add_edge("write_code", "apply_code")
g.add_conditional_edges("apply_code", retry_or_end)
transform_graph = g.compile()
