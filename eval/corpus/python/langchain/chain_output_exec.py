"""'Chart this for me' – generates matplotlib code from a description and runs it."""
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from langchain_core.prompts import ChatPromptTemplate  # noqa: E402
from langchain_openai import ChatOpenAI  # noqa: E402

prompt = ChatPromptTemplate.from_messages(
    [
        ("system", "Write Python using pandas (as pd) and matplotlib.pyplot (as plt) that plots the "
                   "DataFrame `df` as requested and saves it to `out_path`. Only output code."),
        ("human", "Columns: {columns}\nRequest: {request}"),
    ]
)
chain = prompt | ChatOpenAI(model="gpt-4o-mini", temperature=0, max_tokens=800)

CODE_BLOCK = re.compile(r"```(?:python)?\n(.*?)```", re.S)


def extract_code(text: str) -> str:
    m = CODE_BLOCK.search(text)
    return m.group(1) if m else text


class ChartBuilder:
    def __init__(self, df: pd.DataFrame):
        self.df = df

    def generate(self, request: str) -> str:
        msg = chain.invoke({"columns": ", ".join(self.df.columns), "request": request})
        return extract_code(msg.content)

    def render(self, request: str, out_path: str) -> str:
        code = self.generate(request)
        namespace = {"pd": pd, "plt": plt, "df": self.df, "out_path": out_path}
        exec(code, namespace)
        plt.close("all")
        return out_path


if __name__ == "__main__":
    data = pd.read_csv("metrics.csv")
    print(ChartBuilder(data).render(input("chart request: "), "chart.png"))
