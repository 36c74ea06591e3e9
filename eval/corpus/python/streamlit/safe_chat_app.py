"""Streamlit support chat: secrets from st.secrets, plain markdown rendering, bounded history."""
import streamlit as st
from anthropic import Anthropic

client = Anthropic(api_key=st.secrets["ANTHROPIC_API_KEY"], timeout=30.0)
SYSTEM = "You are the helpdesk assistant for Contoso IT. Help with password resets, VPN and printers."
MAX_TURNS_KEPT = 12

st.title("Contoso IT helpdesk")
st.session_state.setdefault("history", [])

for turn in st.session_state.history:
    with st.chat_message(turn["role"]):
        st.markdown(turn["content"])

if text := st.chat_input("Describe your problem", max_chars=2000):
    st.session_state.history.append({"role": "user", "content": text})
    with st.chat_message("user"):
        st.markdown(text)
    with st.chat_message("assistant"):
        with st.spinner("Thinking…"):
            reply = client.messages.create(
                model="claude-3-5-haiku-latest",
                max_tokens=600,
                system=SYSTEM,
                messages=st.session_state.history[-MAX_TURNS_KEPT:],
            )
        answer = "".join(b.text for b in reply.content if b.type == "text")
        st.markdown(answer)
    st.session_state.history.append({"role": "assistant", "content": answer})
    st.session_state.history = st.session_state.history[-MAX_TURNS_KEPT:]
