"""Ask questions about a CSV in plain English; the model writes the pandas code."""
import sys

import pandas as pd
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI

prompt = ChatPromptTemplate.from_messages([
    ("system",
     "You write Python pandas code. A DataFrame called `df` is already loaded with columns: {columns}. "
     "Store the final answer in a variable called `result`. Return only code, no markdown."),
    ("human", "{question}"),
])

chain = prompt | ChatOpenAI(model="gpt-4o", temperature=0) | StrOutputParser()


def strip_fences(code: str) -> str:
    lines = [line for line in code.strip().splitlines() if not line.startswith("```")]
    return "\n".join(lines)


def ask(df: pd.DataFrame, question: str):
    code = strip_fences(chain.invoke({"columns": ", ".join(df.columns), "question": question}))
    print("# generated code\n" + code)
    scope = {"df": df, "pd": pd}
    exec(code, scope)
    return scope.get("result")


def main() -> None:
    df = pd.read_csv(sys.argv[1])
    while True:
        question = input("question> ").strip()
        if not question:
            return
        print(ask(df, question))


if __name__ == "__main__":
    main()
