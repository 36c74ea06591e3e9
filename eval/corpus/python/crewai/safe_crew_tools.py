"""Documentation crew with read-only tools confined to the docs directory."""
from pathlib import Path
from typing import Type

from crewai import Agent, Crew, Task
from crewai.tools import BaseTool
from pydantic import BaseModel, Field

DOCS_ROOT = Path(__file__).parent.joinpath("docs").resolve()
MAX_BYTES = 50_000


class ReadDocInput(BaseModel):
    relative_path: str = Field(description="Path of a markdown file under docs/")


class ReadDocTool(BaseTool):
    name: str = "read_doc"
    description: str = "Read a markdown file from the product documentation (read-only)."
    args_schema: Type[BaseModel] = ReadDocInput

    def _run(self, relative_path: str) -> str:
        target = (DOCS_ROOT / relative_path).resolve()
        if not target.is_relative_to(DOCS_ROOT) or target.suffix != ".md":
            return "Access denied: only markdown files inside docs/ can be read."
        return target.read_text(encoding="utf-8")[:MAX_BYTES]


class ListDocsTool(BaseTool):
    name: str = "list_docs"
    description: str = "List the markdown files in the product documentation."

    def _run(self) -> str:
        return "\n".join(str(p.relative_to(DOCS_ROOT)) for p in sorted(DOCS_ROOT.rglob("*.md"))[:500])


writer = Agent(
    role="Docs Assistant",
    goal="Answer questions about the product using the documentation",
    backstory="You quote the docs and say when something is not documented.",
    tools=[ListDocsTool(), ReadDocTool()],
    max_iter=6,
    allow_delegation=False,
)


def answer(question: str) -> str:
    task = Task(description="Answer: {question}", expected_output="A short answer with doc paths.", agent=writer)
    return Crew(agents=[writer], tasks=[task]).kickoff(inputs={"question": question[:1000]}).raw
