"""Natural-language filters over the inventory table, using a LlamaIndex LLM."""
import pandas as pd
from llama_index.core import PromptTemplate
from llama_index.llms.openai import OpenAI

llm = OpenAI(model="gpt-4o-mini", temperature=0, max_tokens=200)

FILTER_PROMPT = PromptTemplate(
    "You convert requests into a pandas expression over a DataFrame named df.\n"
    "Columns: {columns}\n"
    "Request: {request}\n"
    "Return only the expression, e.g. df[df.price > 10].sort_values('price')"
)


class InventoryAssistant:
    def __init__(self, csv_path: str):
        self.df = pd.read_csv(csv_path)

    def _expression(self, request: str) -> str:
        completion = llm.complete(FILTER_PROMPT.format(columns=", ".join(self.df.columns), request=request))
        return completion.text.strip().strip("`")

    def filter(self, request: str) -> pd.DataFrame:
        expression = self._expression(request)
        result = eval(expression, {"df": self.df, "pd": pd})
        if isinstance(result, pd.Series):
            result = result.to_frame()
        return result.head(100)


if __name__ == "__main__":
    assistant = InventoryAssistant("inventory.csv")
    while (req := input("filter> ").strip()) not in {"", "q"}:
        print(assistant.filter(req).to_string())
