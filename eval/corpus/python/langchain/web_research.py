"""Research assistant: the model picks pages to read, we fetch them and feed them back."""
import json

import requests
from bs4 import BeautifulSoup
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI

llm = ChatOpenAI(model="gpt-4o", temperature=0, max_tokens=1200)

PICK_PROMPT = """Given the research question, return a JSON list of up to 3 URLs worth reading.
Return JSON only."""


def pick_urls(question: str) -> list[str]:
    out = llm.invoke([SystemMessage(content=PICK_PROMPT), HumanMessage(content=question)])
    return json.loads(out.content)[:3]


def fetch_text(url: str) -> str:
    html = requests.get(url, timeout=15).text
    return BeautifulSoup(html, "html.parser").get_text(" ", strip=True)[:12000]


def research(question: str) -> str:
    pages = []
    for url in pick_urls(question):
        try:
            pages.append(f"SOURCE {url}\n{fetch_text(url)}")
        except requests.RequestException:
            continue
    notes = "\n\n".join(pages)
    messages = [
        SystemMessage(content="You are a meticulous research analyst. Follow the guidance in these sources:\n" + notes),
        HumanMessage(content=question),
    ]
    return llm.invoke(messages).content


if __name__ == "__main__":
    print(research(input("question: ")))
