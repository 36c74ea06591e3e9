"""Word-problem helper: the model turns the problem into an arithmetic expression."""
import ast
import operator

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI

prompt = ChatPromptTemplate.from_messages([
    ("system", "Rewrite the word problem as a single arithmetic expression using numbers, + - * / ** and "
               "parentheses only. Reply with the expression and nothing else."),
    ("human", "{problem}"),
])
chain = prompt | ChatOpenAI(model="gpt-4o-mini", temperature=0, max_tokens=100) | StrOutputParser()

_OPS = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.Pow: operator.pow, ast.USub: operator.neg, ast.UAdd: operator.pos,
}


def evaluate_expression(expr: str) -> float:
    """Evaluate a pure arithmetic expression without eval()."""
    def _eval(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            left, right = _eval(node.left), _eval(node.right)
            if isinstance(node.op, ast.Pow) and abs(right) > 100:
                raise ValueError("exponent too large")
            return _OPS[type(node.op)](left, right)
        if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](_eval(node.operand))
        raise ValueError(f"unsupported expression element: {ast.dump(node)}")

    if len(expr) > 200:
        raise ValueError("expression too long")
    return _eval(ast.parse(expr.strip(), mode="eval").body)


def solve(problem: str) -> float:
    expression = chain.invoke({"problem": problem})
    return evaluate_expression(expression)


if __name__ == "__main__":
    print(solve(input("Problem: ")))
