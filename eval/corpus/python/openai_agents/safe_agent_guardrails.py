"""Homework helper with input guardrails, typed output and a bounded run."""
import asyncio

from agents import (
    Agent,
    GuardrailFunctionOutput,
    InputGuardrailTripwireTriggered,
    ModelSettings,
    RunContextWrapper,
    Runner,
    input_guardrail,
)
from pydantic import BaseModel, Field


class Answer(BaseModel):
    explanation: str = Field(max_length=2000)
    final_answer: str = Field(max_length=200)


class OffTopic(BaseModel):
    is_homework: bool
    reasoning: str


checker = Agent(
    name="Topic checker",
    instructions="Decide whether the user is asking a maths or science homework question.",
    output_type=OffTopic,
    model_settings=ModelSettings(max_tokens=150),
)


@input_guardrail
async def homework_only(ctx: RunContextWrapper, agent: Agent, user_input: str) -> GuardrailFunctionOutput:
    verdict = await Runner.run(checker, user_input, context=ctx.context, max_turns=1)
    return GuardrailFunctionOutput(
        output_info=verdict.final_output,
        tripwire_triggered=not verdict.final_output.is_homework,
    )


tutor = Agent(
    name="Tutor",
    instructions="Explain the reasoning step by step, then give the final answer.",
    output_type=Answer,
    input_guardrails=[homework_only],
    model_settings=ModelSettings(max_tokens=800, temperature=0.2),
)


async def ask(question: str) -> str:
    try:
        result = await Runner.run(tutor, question[:4000], max_turns=4)
    except InputGuardrailTripwireTriggered:
        return "I can only help with maths and science homework."
    answer: Answer = result.final_output
    return f"{answer.explanation}\n\nAnswer: {answer.final_answer}"


if __name__ == "__main__":
    print(asyncio.run(ask(input("question: "))))
