"""jobmatch dashboard — entry point for ``streamlit run app.py``.

A thin view over the jobmatch library: every figure shown here comes from a
library function. The full dashboard (citizen, suggestions, map, alternatives,
shortlist, transparency) is built page by page in ``pages/``.
"""

from __future__ import annotations

import streamlit as st

from jobmatch import cached
from jobmatch.world import WorldMissingError

st.set_page_config(page_title="jobmatch", page_icon="🧭", layout="wide")

st.title("jobmatch")
st.caption("Beslutningsstøtte til jobcentre: match borgerens CV med aktuelle job. Konsulenten beslutter – værktøjet informerer.")

try:
    stats = cached.world_stats()
except WorldMissingError:
    st.warning("Demodata er ikke bygget endnu. Kør `python -m jobmatch data build` og genindlæs siden.")
    st.stop()

st.subheader("Demoverdenen i tal")
st.info("Alle data her er simulerede: opdigtede virksomheder, borgere og forløb. Ingen rigtige personer.")
c1, c2, c3, c4 = st.columns(4)
c1.metric("Aktuelle jobopslag", f"{stats['postings']:,}".replace(",", "."))
c2.metric("Borgere (demo)", f"{stats['citizens']:,}".replace(",", "."))
c3.metric("Hændelser i loggen", f"{stats['interactions']:,}".replace(",", "."))
c4.metric("Kommuner i piloten", stats["pilot_municipalities"])
c5, c6, c7, c8 = st.columns(4)
c5.metric("Stillingsbetegnelser", stats["occupations"])
c6.metric("Kompetencer", stats["competences"])
c7.metric("Personlige kompetencer", stats["personal_competences"])
c8.metric("Postnumre", stats["postcodes"])
st.caption(f"Dataversion {stats['data_version']} · seed {stats['seed']} · referencedato {stats['reference_date']}")
