#!/usr/bin/env python3
"""Translate a .po file's untranslated strings in batches."""
import argparse
import json
import os
import time

import polib
from anthropic import Anthropic, APIStatusError

client = Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"], timeout=60.0)
BATCH = 40
MAX_ENTRIES = 4000
MAX_ATTEMPTS = 4


def translate_batch(strings: list[str], lang: str) -> list[str]:
    payload = json.dumps(strings, ensure_ascii=False)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            msg = client.messages.create(
                model="claude-3-5-haiku-latest",
                max_tokens=4000,
                system=f"Translate each UI string in the JSON array into {lang}. Return a JSON array of the same length.",
                messages=[{"role": "user", "content": payload}],
            )
            out = json.loads(msg.content[0].text)
            if isinstance(out, list) and len(out) == len(strings) and all(isinstance(s, str) for s in out):
                return out
        except (APIStatusError, json.JSONDecodeError):
            pass
        time.sleep(2 ** attempt)
    raise RuntimeError("translation failed after retries")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("po_file")
    ap.add_argument("--lang", choices=["de", "fr", "es", "it", "ja"], required=True)
    args = ap.parse_args()

    po = polib.pofile(args.po_file)
    todo = [e for e in po.untranslated_entries()][:MAX_ENTRIES]
    for start in range(0, len(todo), BATCH):
        chunk = todo[start : start + BATCH]
        for entry, text in zip(chunk, translate_batch([e.msgid for e in chunk], args.lang)):
            entry.msgstr = text
            entry.flags.append("fuzzy")
    po.save()
    print(f"translated {len(todo)} entries (marked fuzzy for review)")


if __name__ == "__main__":
    main()
