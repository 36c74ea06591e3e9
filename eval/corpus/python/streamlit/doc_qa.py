"""Team document Q&A: anyone can upload PDFs and ask questions about 'their' documents."""
import chromadb
import streamlit as st
from chromadb.utils import embedding_functions
from openai import OpenAI
from pypdf import PdfReader

client = OpenAI(api_key=st.secrets["OPENAI_API_KEY"])
chroma = chromadb.PersistentClient(path="/data/chroma")
embed = embedding_functions.OpenAIEmbeddingFunction(api_key=st.secrets["OPENAI_API_KEY"])
collection = chroma.get_or_create_collection("uploads", embedding_function=embed)

user = st.experimental_user.email or "anonymous"
st.title("Ask your documents")

pdf = st.file_uploader("Upload a PDF", type="pdf")
if pdf is not None and st.button("Index it"):
    pages = [p.extract_text() or "" for p in PdfReader(pdf).pages]
    collection.add(
        ids=[f"{user}-{pdf.name}-{i}" for i in range(len(pages))],
        documents=pages,
        metadatas=[{"owner": user, "file": pdf.name, "page": i} for i in range(len(pages))],
    )
    st.success(f"Indexed {len(pages)} pages")

question = st.text_input("Question about your documents")
if question:
    hits = collection.query(query_texts=[question], n_results=5)
    context = "\n---\n".join(hits["documents"][0])
    r = client.chat.completions.create(
        model="gpt-4o-mini",
        max_tokens=500,
        messages=[
            {"role": "system", "content": "Answer from the user's documents:\n" + context},
            {"role": "user", "content": question},
        ],
    )
    st.write(r.choices[0].message.content)
    st.caption("Sources: " + ", ".join(m["file"] for m in hits["metadatas"][0]))
