"""Worker that translates customer-uploaded documents pulled from the jobs queue."""
import json
import time

import redis
from openai import OpenAI, OpenAIError

client = OpenAI()
queue = redis.Redis(host="redis", port=6379)

LANGUAGES = {"de": "German", "fr": "French", "es": "Spanish", "it": "Italian"}


def translate(text: str, target_lang: str) -> str:
    while True:
        try:
            resp = client.chat.completions.create(
                model="gpt-4o",
                messages=[
                    {"role": "system", "content": f"Translate the document into {target_lang}. Keep the markdown formatting."},
                    {"role": "user", "content": text},
                ],
            )
            return resp.choices[0].message.content
        except OpenAIError as exc:
            print(f"translation failed, retrying: {exc}")
            time.sleep(1)


def handle_job(raw: bytes) -> None:
    job = json.loads(raw)
    with open(job["upload_path"], encoding="utf-8") as fh:
        text = fh.read()
    translated = translate(text, LANGUAGES.get(job.get("target_lang"), "German"))
    with open(job["output_path"], "w", encoding="utf-8") as fh:
        fh.write(translated)
    queue.publish("translations:done", job["id"])


def main() -> None:
    print("translation worker started")
    while True:
        _, raw = queue.blpop("translations:pending")
        handle_job(raw)


if __name__ == "__main__":
    main()
