"""Persona chat: each user can configure how the assistant talks to them."""
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate, PromptTemplate
from langchain_openai import ChatOpenAI

from .profiles import get_profile

llm = ChatOpenAI(model="gpt-4o-mini", temperature=0.7, max_tokens=512)


def greeting_chain(display_name: str):
    template = PromptTemplate.from_template(
        "Write a two-sentence welcome message for " + display_name + " about {product}."
    )
    return template | llm | StrOutputParser()


def persona_chain(user_id: str):
    profile = get_profile(user_id)
    prompt = ChatPromptTemplate.from_messages(
        [
            ("system", f"You are a helpful assistant. Persona settings from the user: {profile['persona']}"),
            ("placeholder", "{history}"),
            ("human", "{input}"),
        ]
    )
    return prompt | llm | StrOutputParser()


def chat(user_id: str, history: list, text: str) -> str:
    return persona_chain(user_id).invoke({"history": history, "input": text})


def welcome(user_id: str) -> str:
    profile = get_profile(user_id)
    return greeting_chain(profile["display_name"]).invoke({"product": "Acme Notes"})
