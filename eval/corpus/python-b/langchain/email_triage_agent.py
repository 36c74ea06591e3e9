"""Inbox assistant: reads new support emails and handles them with tools."""
import imaplib
import os
import smtplib
from email import message_from_bytes
from email.message import EmailMessage

from langchain_core.messages import HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI


@tool
def lookup_order(order_id: str) -> str:
    """Look up the status of an order."""
    return f"Order {order_id}: shipped"


@tool
def send_email(to: str, subject: str, body: str) -> str:
    """Send an email from support@acme.example to any address."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "support@acme.example", to, subject
    msg.set_content(body)
    with smtplib.SMTP_SSL("smtp.acme.example") as smtp:
        smtp.login("support@acme.example", os.environ["SMTP_PASSWORD"])
        smtp.send_message(msg)
    return f"sent to {to}"


TOOLS = {"lookup_order": lookup_order, "send_email": send_email}
llm = ChatOpenAI(model="gpt-4o", temperature=0).bind_tools(list(TOOLS.values()))


def handle_email(sender: str, subject: str, body: str) -> None:
    messages = [
        SystemMessage(content=f"You are Acme's support agent. Handle the email below and reply to the sender.\n"
                              f"From: {sender}\nSubject: {subject}\n\n{body}"),
        HumanMessage(content="Process this email now."),
    ]
    for _ in range(5):
        ai = llm.invoke(messages)
        messages.append(ai)
        if not ai.tool_calls:
            break
        for call in ai.tool_calls:
            result = TOOLS[call["name"]].invoke(call["args"])
            messages.append(ToolMessage(content=str(result), tool_call_id=call["id"]))


def poll_inbox() -> None:
    box = imaplib.IMAP4_SSL("imap.acme.example")
    box.login("support@acme.example", os.environ["IMAP_PASSWORD"])
    box.select("INBOX")
    _, ids = box.search(None, "UNSEEN")
    for num in ids[0].split():
        _, data = box.fetch(num, "(RFC822)")
        mail = message_from_bytes(data[0][1])
        body = mail.get_payload(decode=True).decode(errors="ignore")
        handle_email(mail["From"], mail["Subject"], body)


if __name__ == "__main__":
    poll_inbox()
