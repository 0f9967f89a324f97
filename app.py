"""jobmatch dashboard — entry point for ``streamlit run app.py``.

A thin view over the jobmatch library. This file draws what every page
shares (look, language, shared-screen mode, the stop switch) and hands over
to the page chosen in the navigation; the pages live in ``pages/``, their
texts in ``jobmatch/resources/texts.toml``, their logic in the library.

To add a page: put the file in ``pages/`` and add one line to ``PAGES``
(file, catalogue key of its title, icon, URL path, section).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui import frame, state

st.set_page_config(page_title="jobmatch", page_icon="🧭", layout="wide")

#: (file, title key, icon, url path, section key); the first page is the start page
PAGES: list[tuple[str, str, str, str, str]] = [
    ("pages/overview.py", "nav.overview", ":material/explore:", "overblik", "nav.section_start"),
    ("pages/citizen.py", "nav.citizen", ":material/person:", "borger", "nav.section_consultation"),
    ("pages/suggestions.py", "nav.suggestions", ":material/format_list_numbered:", "jobforslag", "nav.section_consultation"),
    ("pages/map.py", "nav.map", ":material/map:", "kort", "nav.section_consultation"),
    ("pages/alternatives.py", "nav.alternatives", ":material/alt_route:", "andre-job", "nav.section_consultation"),
    ("pages/shortlist.py", "nav.shortlist", ":material/push_pin:", "jobliste", "nav.section_consultation"),
    ("pages/about.py", "nav.about", ":material/info:", "om", "nav.section_about"),
    ("pages/9_Gennemsigtighed.py", "nav.transparency", ":material/description:", "gennemsigtighed",
     "nav.section_about"),
    ("pages/7_Tilsyn.py", "nav.oversight", ":material/fact_check:", "tilsyn", "nav.section_project"),
    ("pages/8_Retfaerdighed.py", "nav.fairness", ":material/balance:", "retfaerdighed", "nav.section_project"),
    ("pages/10_Overvaagning.py", "monitor.nav", ":material/monitoring:", "overvaagning", "nav.section_project"),
]

state.session_id()
frame.style()
frame.sidebar()
tr = state.tr()

sections: dict[str, list] = {}
here = Path(__file__).resolve().parent
for number, (path, title_key, icon, url_path, section_key) in enumerate(PAGES):
    if not (here / path).is_file():  # a page not installed in this version
        continue
    page = st.Page(path, title=tr(title_key), icon=icon, url_path=url_path, default=number == 0)
    sections.setdefault(tr(section_key), []).append(page)

current = st.navigation(sections)
frame.guarded(current.run, current.url_path or "overblik")
