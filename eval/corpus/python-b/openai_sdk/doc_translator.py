"""Worker that translates customer-uploaded documents pulled from the jobs queue."""
import json
import time

import redis
from openai import APIStatusError, OpenAI, OpenAIError

client = OpenAI(timeout=60, max_retries=0)
queue = redis.Redis(host="redis", port=6379)

MAX_DOC_CHARS = 40_000
MAX_ATTEMPTS = 4
ALLOWED_LANGS = {"German", "French", "Spanish", "Italian"}


def translate(text: str, target_lang: str) -> str:
    for attempt in range(MAX_ATTEMPTS):
        try:
            resp = client.chat.completions.create(
                model="gpt-4o",
                messages=[
                    {"role": "system", "content": f"Translate the document into {target_lang}. Keep the markdown formatting."},
                    {"role": "user", "content": text},
                ],
                max_tokens=8000,
            )
            return resp.choices[0].message.content
        except APIStatusError as exc:
            if exc.status_code < 500 and exc.status_code != 429:
                raise
        except OpenAIError:
            pass
        time.sleep(min(2 ** attempt, 30))
    raise RuntimeError("translation failed after retries")


def handle_job(raw: bytes) -> None:
    job = json.loads(raw)
    target = job.get("target_lang", "German")
    if target not in ALLOWED_LANGS:
        raise ValueError(f"unsupported language {target!r}")
    with open(job["upload_path"], encoding="utf-8") as fh:
        text = fh.read(MAX_DOC_CHARS + 1)
    if len(text) > MAX_DOC_CHARS:
        raise ValueError("document too large for translation")
    translated = translate(text, target)
    with open(job["output_path"], "w", encoding="utf-8") as fh:
        fh.write(translated)
    queue.publish("translations:done", job["id"])


def main() -> None:
    while True:
        _, raw = queue.blpop("translations:pending")
        try:
            handle_job(raw)
        except (ValueError, RuntimeError) as exc:
            print(f"job rejected: {exc}")


if __name__ == "__main__":
    main()
