"""Private document Q&A: each browser session gets its own in-memory collection."""
import uuid

import chromadb
import streamlit as st
from chromadb.utils import embedding_functions
from openai import OpenAI
from pypdf import PdfReader

client = OpenAI(api_key=st.secrets["OPENAI_API_KEY"], timeout=30)
MAX_PAGES = 200


@st.cache_resource
def chroma_client():
    return chromadb.EphemeralClient()


if "session_id" not in st.session_state:
    st.session_state.session_id = uuid.uuid4().hex
sid = st.session_state.session_id

embed = embedding_functions.OpenAIEmbeddingFunction(api_key=st.secrets["OPENAI_API_KEY"])
collection = chroma_client().get_or_create_collection(f"session_{sid}", embedding_function=embed)

pdf = st.file_uploader("Upload a PDF", type="pdf")
if pdf is not None and st.button("Index"):
    pages = [p.extract_text() or "" for p in PdfReader(pdf).pages[:MAX_PAGES]]
    collection.upsert(
        ids=[f"{pdf.name}-{i}" for i in range(len(pages))],
        documents=pages,
        metadatas=[{"session": sid, "page": i} for i in range(len(pages))],
    )

question = st.text_input("Ask about your PDF", max_chars=1000)
if question:
    hits = collection.query(query_texts=[question], n_results=4, where={"session": sid})
    context = "\n---\n".join(hits["documents"][0])
    r = client.chat.completions.create(
        model="gpt-4o-mini",
        max_tokens=500,
        messages=[
            {"role": "system", "content": "Answer using only these excerpts:\n" + context},
            {"role": "user", "content": question},
        ],
    )
    st.markdown(r.choices[0].message.content)
