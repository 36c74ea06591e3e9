"""Summarise many support transcripts concurrently without blowing the budget."""
import asyncio
import json
import os
import sys

from anthropic import AsyncAnthropic

client = AsyncAnthropic(api_key=os.environ["ANTHROPIC_API_KEY"], timeout=45.0, max_retries=2)

MAX_CONCURRENCY = 8
MAX_TRANSCRIPTS = 500
MAX_CHARS = 30_000


async def summarise_one(sem: asyncio.Semaphore, transcript: dict) -> dict:
    async with sem:
        msg = await client.messages.create(
            model="claude-3-5-haiku-latest",
            max_tokens=300,
            system="Summarise the support conversation in three bullet points.",
            messages=[{"role": "user", "content": transcript["text"][:MAX_CHARS]}],
        )
        return {"id": transcript["id"], "summary": msg.content[0].text}


async def summarise_all(transcripts: list[dict]) -> list[dict]:
    sem = asyncio.Semaphore(MAX_CONCURRENCY)
    batch = transcripts[:MAX_TRANSCRIPTS]
    tasks = [asyncio.wait_for(summarise_one(sem, t), timeout=120) for t in batch]
    results = await asyncio.gather(*tasks, return_exceptions=True)
    return [r for r in results if not isinstance(r, BaseException)]


def main() -> None:
    transcripts = [json.loads(line) for line in sys.stdin if line.strip()]
    for item in asyncio.run(summarise_all(transcripts)):
        print(json.dumps(item))


if __name__ == "__main__":
    main()
