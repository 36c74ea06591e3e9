"""Upload a CSV and ask questions; the assistant writes pandas code and we show the result."""
import io
import re

import pandas as pd
import streamlit as st
from openai import OpenAI

client = OpenAI(api_key=st.secrets["OPENAI_API_KEY"])
FENCE = re.compile(r"```(?:python)?\s*(.*?)```", re.S)


def ask_for_code(df: pd.DataFrame, question: str) -> str:
    buf = io.StringIO()
    df.info(buf=buf)
    r = client.chat.completions.create(
        model="gpt-4o",
        max_tokens=600,
        messages=[
            {"role": "system", "content": "Write pandas code operating on `df`. Store the answer in `result`."},
            {"role": "user", "content": f"DataFrame info:\n{buf.getvalue()}\n\nQuestion: {question}"},
        ],
    )
    text = r.choices[0].message.content
    m = FENCE.search(text)
    return m.group(1) if m else text


def run_snippet(snippet: str, df: pd.DataFrame):
    env = {"df": df.copy(), "pd": pd}
    exec(snippet, env)
    return env.get("result")


st.title("📊 Ask your spreadsheet")
uploaded = st.file_uploader("CSV file", type="csv")
if uploaded:
    frame = pd.read_csv(uploaded)
    st.dataframe(frame.head(50))
    question = st.text_input("Question")
    if question:
        code = ask_for_code(frame, question)
        with st.expander("Generated code"):
            st.code(code, language="python")
        st.write(run_snippet(code, frame))
