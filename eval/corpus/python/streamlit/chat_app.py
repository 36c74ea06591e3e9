"""Streamlit chat UI for the marketing team's brainstorming assistant."""
import openai
import streamlit as st

openai.api_key = "sk-proj-Zt5uW8xY2aB4cD6eF8gH0iJ2kL4mN6oP8qR0sT2uV4wX6yZ8T3BlbkFJaB1cD3eF5gH7iJ9kL1"

st.set_page_config(page_title="Brainstorm Buddy", page_icon="💡")
st.title("💡 Brainstorm Buddy")

if "messages" not in st.session_state:
    st.session_state.messages = [
        {"role": "system", "content": "You help marketers brainstorm. Format answers with rich HTML."}
    ]

for m in st.session_state.messages[1:]:
    with st.chat_message(m["role"]):
        st.markdown(m["content"], unsafe_allow_html=True)

if prompt := st.chat_input("What are we brainstorming today?"):
    st.session_state.messages.append({"role": "user", "content": prompt})
    with st.chat_message("user"):
        st.markdown(prompt)

    with st.chat_message("assistant"):
        response = openai.chat.completions.create(
            model="gpt-4o",
            messages=st.session_state.messages[-20:],
            max_tokens=800,
        )
        answer = response.choices[0].message.content
        st.markdown(answer, unsafe_allow_html=True)
    st.session_state.messages.append({"role": "assistant", "content": answer})
