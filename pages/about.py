"""Om jobmatch: what jobmatch is and is not, and where the transparency documents are.

The documents themselves (model card, datasheet, instructions for use,
citizen information) are written by ``python -m jobmatch docs build`` and
shown on the Gennemsigtighed page (``pages/9_Gennemsigtighed.py``). Where
that page is not installed, this page shows whichever of the documents
exist (``DOCUMENTS``).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from jobmatch import config
from ui import auth as auth_ui
from ui import state

#: (catalogue key of the tab title, candidate files — the first that exists is shown)
DOCUMENTS: list[tuple[str, list[Path]]] = [
    ("about.tab_citizen", [config.REPO_ROOT / "docs" / name for name in
                           ("citizen_information.md", "citizen-information.md", "borgerinformation.md")]),
    ("about.tab_instructions", [config.REPO_ROOT / "docs" / name for name in
                                ("instructions_for_use.md", "instructions-for-use.md", "brugsanvisning.md")]),
    ("about.tab_model", [config.models_dir() / "MODEL_CARD.md", config.REPO_ROOT / "docs" / "model_card.md"]),
    ("about.tab_data", [config.REPO_ROOT / "docs" / name for name in ("datasheet.md", "data.md")]),
]

auth_ui.current_identity()
tr = state.tr()

TRANSPARENCY_PAGE = "pages/9_Gennemsigtighed.py"

st.title(tr("about.title"))
if (config.REPO_ROOT / TRANSPARENCY_PAGE).is_file():
    st.markdown(tr("about.body"))
    st.page_link(TRANSPARENCY_PAGE, label=tr("about.to_transparency"), icon=":material/description:")
    st.stop()

tabs = st.tabs([tr("about.tab_about")] + [tr(key) for key, _ in DOCUMENTS])
with tabs[0]:
    st.markdown(tr("about.body"))
for tab, (key, candidates) in zip(tabs[1:], DOCUMENTS):
    with tab:
        found = next((path for path in candidates if path.is_file()), None)
        if found is None:
            st.info(tr("about.not_yet"))
            continue
        try:
            text = found.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            st.warning(tr("about.unreadable"))
            continue
        st.caption(tr("about.source", file=found.name))
        st.markdown(text)
