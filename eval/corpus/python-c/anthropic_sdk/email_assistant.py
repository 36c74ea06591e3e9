"""Inbox assistant: reads new mail and drafts or sends replies on the user's behalf."""
import os
import smtplib
from email.message import EmailMessage

import anthropic

from mailbox_sync import fetch_unread

client = anthropic.Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])
SMTP_HOST = os.getenv("SMTP_HOST", "smtp.acme.io")

TOOLS = [{
    "name": "send_email",
    "description": "Send an email from the user's account.",
    "input_schema": {"type": "object",
                     "properties": {"to": {"type": "string"}, "subject": {"type": "string"},
                                    "body": {"type": "string"}},
                     "required": ["to", "subject", "body"]},
}]


def send_email(to: str, subject: str, body: str) -> str:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "me@acme.io", to, subject
    msg.set_content(body)
    with smtplib.SMTP(SMTP_HOST) as smtp:
        smtp.send_message(msg)
    return "sent"


def handle(mail) -> None:
    prompt = ("Here is a new email. Reply to it if a reply is needed.\n"
              f"From: {mail.sender}\nSubject: {mail.subject}\n{mail.body}")
    resp = client.messages.create(
        model="claude-3-5-sonnet-latest",
        max_tokens=1000,
        system="You are my email assistant. Act on my behalf.",
        tools=TOOLS,
        messages=[{"role": "user", "content": prompt}],
    )
    for block in resp.content:
        if block.type == "tool_use" and block.name == "send_email":
            send_email(**block.input)


if __name__ == "__main__":
    for m in fetch_unread(limit=20):
        handle(m)
