"""Gennemsigtighed: the generated transparency documents (model card, datasheet, instructions, citizen page, registers).

The files are written by ``python -m jobmatch docs build``;
:func:`jobmatch.oversight.render_gennemsigtighed` reads them and says whether
they still describe the installed model.
"""

from __future__ import annotations

import json

import streamlit as st

from jobmatch import oversight
from ui import auth as auth_ui
from ui import state

auth_ui.current_identity()
lang = state.lang()


def txt(key: str, **params: object) -> str:
    return oversight.text(key, lang, **params)


MIME = {"markdown": "text/markdown", "json": "application/json", "pdf": "application/pdf"}

data = oversight.render_gennemsigtighed(lang)
st.title(data["title"])
st.caption(data["intro"])
if data["stale"]:
    st.warning(data["status"])
else:
    st.success(data["status"])

documents = data["documents"]
tabs = st.tabs([doc["title"] for doc in documents])
for tab, doc in zip(tabs, documents):
    with tab:
        if not doc["exists"]:
            st.info(data["missing"])
            continue
        content = doc["content"]
        st.download_button(txt("docs.download", name=doc["filename"]), data=content, file_name=doc["filename"],
                           mime=MIME[doc["kind"]], key=f"jm.docs.{doc['filename']}")
        if doc["kind"] == "markdown":
            st.markdown(content)
        elif doc["kind"] == "json":
            try:
                st.json(json.loads(content), expanded=1)
            except json.JSONDecodeError:
                st.code(content)
