"""After-hours nurse line: classify patient messages and book follow-ups automatically."""
import os
from datetime import datetime, timedelta

from anthropic import Anthropic

from clinic import notify_on_call_nurse, schedule_appointment, send_sms

client = Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])

SYSTEM = (
    "You are a triage assistant for a family clinic. Classify the patient's message as "
    "EMERGENCY, URGENT or ROUTINE. Answer with the single word only."
)


def classify(message: str) -> str:
    reply = client.messages.create(
        model="claude-3-5-haiku-latest",
        max_tokens=10,
        system=SYSTEM,
        messages=[{"role": "user", "content": message}],
    )
    return reply.content[0].text.strip().upper()


def handle_inbound(patient_id: str, phone: str, message: str) -> str:
    level = classify(message)
    if level == "ROUTINE":
        slot = schedule_appointment(patient_id, after=datetime.now() + timedelta(days=5))
        send_sms(phone, f"Thanks, we booked you a routine visit on {slot:%b %d at %H:%M}.")
        return "scheduled"
    notify_on_call_nurse(patient_id, message, level)
    send_sms(phone, "A nurse will call you shortly. If this is an emergency call 911.")
    return "escalated"


if __name__ == "__main__":
    print(handle_inbound("p-001", "+15555550100", "my chest feels tight since this morning"))
