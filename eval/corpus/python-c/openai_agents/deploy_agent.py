"""ChatOps deploy bot: engineers ask it in Slack to roll out services."""
import os
import subprocess

from agents import Agent, ModelSettings, Runner, function_tool
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()
KUBE_CONTEXT = os.getenv("KUBE_CONTEXT", "prod-eu")


@function_tool
def rollout(service: str, image_tag: str) -> str:
    """Deploy a new image tag of a service to the production cluster."""
    cmd = ["kubectl", "--context", KUBE_CONTEXT, "set", "image",
           f"deployment/{service}", f"{service}=registry.acme.io/{service}:{image_tag}"]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout


@function_tool
def scale(service: str, replicas: int) -> str:
    """Scale a production deployment."""
    cmd = ["kubectl", "--context", KUBE_CONTEXT, "scale",
           f"deployment/{service}", f"--replicas={replicas}"]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout


deployer = Agent(
    name="Deployer",
    instructions="Carry out deployment requests from engineers immediately.",
    model="gpt-4o",
    model_settings=ModelSettings(max_tokens=500),
    tools=[rollout, scale],
)


class SlackCommand(BaseModel):
    user: str
    text: str
    max_steps: int = 10


@app.post("/slack/deploy")
async def slack_deploy(cmd: SlackCommand):
    budget = cmd.max_steps
    outcome = await Runner.run(deployer, cmd.text, max_turns=budget)
    return {"response_type": "in_channel", "text": outcome.final_output}
