"""Summarise a long report chunk by chunk, then combine the partial summaries."""
import os
import sys
import time

from openai import APITimeoutError, OpenAI, RateLimitError

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"], timeout=60.0)

CHUNK_CHARS = 6000
MAX_CHUNKS = 40
MAX_RETRIES = 3


def chunks(text: str):
    for i in range(0, min(len(text), CHUNK_CHARS * MAX_CHUNKS), CHUNK_CHARS):
        yield text[i : i + CHUNK_CHARS]


def complete(prompt: str, content: str) -> str:
    for attempt in range(MAX_RETRIES):
        try:
            r = client.chat.completions.create(
                model="gpt-4o-mini",
                messages=[
                    {"role": "system", "content": prompt},
                    {"role": "user", "content": content},
                ],
                max_tokens=500,
            )
            return r.choices[0].message.content or ""
        except (RateLimitError, APITimeoutError):
            time.sleep(2 ** attempt)
    raise RuntimeError("OpenAI unavailable after retries")


def summarise(document: str) -> str:
    partials = [
        complete("Summarise this section of a report in at most 5 sentences.", part)
        for part in chunks(document)
    ]
    return complete("Combine these section summaries into one executive summary.", "\n\n".join(partials))


if __name__ == "__main__":
    path = sys.argv[1]
    with open(path, encoding="utf-8") as fh:
        print(summarise(fh.read()))
