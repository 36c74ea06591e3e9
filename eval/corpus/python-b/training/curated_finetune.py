"""Turn highly rated support conversations into fine-tuning data, via human review."""
import json

from openai import OpenAI

from support.db import conversations, review_queue

client = OpenAI()
OUT_FILE = "data/approved_training.jsonl"
MAX_EXAMPLES_PER_USER = 3


def candidates():
    """Thumbs-up conversations, taken from our own server-side transcript store."""
    per_user: dict[str, int] = {}
    for conv in conversations.rated_up(since_days=7):
        if per_user.get(conv.user_id, 0) >= MAX_EXAMPLES_PER_USER:
            continue
        per_user[conv.user_id] = per_user.get(conv.user_id, 0) + 1
        yield conv


def enqueue_for_review() -> int:
    queued = 0
    for conv in candidates():
        text = "\n".join(m["content"] for m in conv.messages)
        if client.moderations.create(model="omni-moderation-latest", input=text).results[0].flagged:
            continue
        review_queue.add(conv.id, status="pending_review")
        queued += 1
    return queued


def export_approved() -> str | None:
    approved = review_queue.with_status("approved")
    if not approved:
        return None
    with open(OUT_FILE, "w", encoding="utf-8") as fh:
        for item in approved:
            fh.write(json.dumps({"messages": conversations.get(item.conversation_id).messages}) + "\n")
    uploaded = client.files.create(file=open(OUT_FILE, "rb"), purpose="fine-tune")
    job = client.fine_tuning.jobs.create(training_file=uploaded.id, model="gpt-4o-mini-2024-07-18")
    return job.id


if __name__ == "__main__":
    print("queued for review:", enqueue_for_review())
    print("fine-tune job:", export_approved())
