"""AutoGen AgentChat team: planner + coder + executor, run from a FastAPI endpoint."""
import asyncio
import os
from pathlib import Path

from autogen_agentchat.agents import AssistantAgent, CodeExecutorAgent
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_ext.code_executors.local import LocalCommandLineCodeExecutor
from autogen_ext.models.openai import OpenAIChatCompletionClient
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()
model_client = OpenAIChatCompletionClient(model="gpt-4o", api_key=os.environ["OPENAI_API_KEY"])
WORK_DIR = Path("/tmp/agent-runs")


class Job(BaseModel):
    task: str


def build_team(run_dir: Path) -> RoundRobinGroupChat:
    planner = AssistantAgent("planner", model_client=model_client,
                             system_message="Break the task into steps for the coder.")
    coder = AssistantAgent("coder", model_client=model_client,
                           system_message="Write Python in ```python blocks to carry out each step.")
    runner = CodeExecutorAgent("runner", code_executor=LocalCommandLineCodeExecutor(work_dir=run_dir))
    return RoundRobinGroupChat([planner, coder, runner])


@app.post("/jobs")
async def run_job(job: Job):
    run_dir = WORK_DIR / str(abs(hash(job.task)))
    run_dir.mkdir(parents=True, exist_ok=True)
    team = build_team(run_dir)
    result = await team.run(task=job.task)
    return {"messages": [m.content for m in result.messages if isinstance(m.content, str)]}


if __name__ == "__main__":
    print(asyncio.run(build_team(WORK_DIR).run(task="print the first 10 primes")))
