"""Community Q&A board: visitors ask questions, Claude answers, everyone sees the feed."""
import sqlite3

import anthropic
import streamlit as st

client = anthropic.Anthropic(api_key=st.secrets["ANTHROPIC_API_KEY"])
db = sqlite3.connect("qa_board.db", check_same_thread=False)
db.execute("CREATE TABLE IF NOT EXISTS qa (id INTEGER PRIMARY KEY, question TEXT, answer TEXT)")

st.set_page_config(page_title="Garden Q&A", page_icon="🌱")
st.title("🌱 Ask the garden bot")


def answer(question: str) -> str:
    msg = client.messages.create(
        model="claude-3-5-haiku-latest",
        max_tokens=600,
        system="You are a gardening expert. Format answers in Markdown with short bullet lists.",
        messages=[{"role": "user", "content": question}],
    )
    return msg.content[0].text


with st.form("ask"):
    question = st.text_area("Your question", max_chars=1000)
    submitted = st.form_submit_button("Ask")

if submitted and question.strip():
    reply = answer(question)
    db.execute("INSERT INTO qa (question, answer) VALUES (?, ?)", (question, reply))
    db.commit()

st.subheader("Latest answers")
for q, a in db.execute("SELECT question, answer FROM qa ORDER BY id DESC LIMIT 20"):
    st.markdown("**Q:**")
    st.text(q)
    st.markdown(a)  # Streamlit escapes raw HTML unless unsafe_allow_html is set
    st.divider()
