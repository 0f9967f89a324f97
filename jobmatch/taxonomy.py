"""The occupation and competence taxonomy.

The bundled taxonomy is written by the project (Danish and English) and lives
as CSV files in ``jobmatch/resources/taxonomy/``; a municipality can instead
load the official ESCO classification with :mod:`jobmatch.esco_import`, which
produces the same four tables.

Tables (all loaded as pandas DataFrames with string ids):

``occupations``  occupation_id, isco, title_da, title_en, alt_titles_da,
                 alt_titles_en, industry, education_level
``competences``  competence_id, label_da, label_en, synonyms_da, synonyms_en,
                 kind, group
``relations``    occupation_id, competence_id, relation
``industries``   industry, label_da, label_en

Multi-valued cells (alternative titles, synonyms) are separated by ``|``.
Files are split by domain (``occupations_*.csv``, ``competences_*.csv``,
``relations_*.csv``) so that each part of the labour market can be maintained
on its own; :func:`load_taxonomy` concatenates them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from jobmatch import config

#: ESCO skills-pillar group codes used for competences.
#: S = skills, K = knowledge (ISCED-F fields), A = attitudes and values,
#: T = transversal skills, L = languages.
GROUPS: dict[str, tuple[str, str]] = {
    "S1": ("Kommunikation, samarbejde og kreativitet", "Communication, collaboration and creativity"),
    "S2": ("Informationsfærdigheder", "Information skills"),
    "S3": ("Hjælp og omsorg", "Assisting and caring"),
    "S4": ("Ledelsesfærdigheder", "Management skills"),
    "S5": ("Arbejde med computere", "Working with computers"),
    "S6": ("Håndtering og flytning", "Handling and moving"),
    "S7": ("Bygge og konstruere", "Constructing"),
    "S8": ("Arbejde med maskiner og specialudstyr", "Working with machinery and specialised equipment"),
    "K00": ("Generelle programmer og kvalifikationer", "Generic programmes and qualifications"),
    "K01": ("Pædagogik og uddannelse", "Education"),
    "K02": ("Kunst og humaniora", "Arts and humanities"),
    "K03": ("Samfundsvidenskab, journalistik og information", "Social sciences, journalism and information"),
    "K04": ("Forretning, administration og jura", "Business, administration and law"),
    "K05": ("Naturvidenskab, matematik og statistik", "Natural sciences, mathematics and statistics"),
    "K06": ("Informations- og kommunikationsteknologi", "Information and communication technologies"),
    "K07": ("Ingeniørfag, produktion og byggeri", "Engineering, manufacturing and construction"),
    "K08": ("Landbrug, skovbrug, fiskeri og veterinær", "Agriculture, forestry, fisheries and veterinary"),
    "K09": ("Sundhed og velfærd", "Health and welfare"),
    "K10": ("Serviceydelser", "Services"),
    "K99": ("Ukendt vidensområde", "Field unknown"),
    "A1": ("Holdninger", "Attitudes"),
    "A2": ("Værdier", "Values"),
    "T1": ("Kernefærdigheder", "Core skills and competences"),
    "T2": ("Tænkefærdigheder", "Thinking skills and competences"),
    "T3": ("Selvledelse", "Self-management skills and competences"),
    "T4": ("Sociale og kommunikative færdigheder", "Social and communication skills and competences"),
    "T5": ("Fysiske og manuelle færdigheder", "Physical and manual skills and competences"),
    "T6": ("Livsfærdigheder", "Life skills and competences"),
    "L1": ("Sprog", "Languages"),
}

KINDS = ("personal", "professional")
RELATIONS = ("essential", "optional")

#: Danish education levels, lowest first (the order is used for "education fit").
EDUCATION_LEVELS: dict[str, tuple[str, str]] = {
    "grundskole": ("Grundskole", "Primary and lower secondary school"),
    "gymnasial": ("Gymnasial uddannelse", "Upper secondary school"),
    "eud": ("Erhvervsuddannelse", "Vocational education"),
    "kvu": ("Kort videregående uddannelse", "Short-cycle higher education"),
    "mvu": ("Mellemlang videregående uddannelse / bachelor", "Medium-cycle higher education / bachelor"),
    "lvu": ("Lang videregående uddannelse / kandidat", "Long-cycle higher education / master"),
    "phd": ("Ph.d.", "PhD"),
}
EDUCATION_ORDER = {level: i for i, level in enumerate(EDUCATION_LEVELS)}

OCCUPATION_COLUMNS = [
    "occupation_id", "isco", "title_da", "title_en", "alt_titles_da", "alt_titles_en",
    "industry", "education_level",
]
COMPETENCE_COLUMNS = [
    "competence_id", "label_da", "label_en", "synonyms_da", "synonyms_en", "kind", "group",
]
RELATION_COLUMNS = ["occupation_id", "competence_id", "relation"]
INDUSTRY_COLUMNS = ["industry", "label_da", "label_en"]


def split_multi(value: object) -> list[str]:
    """Split a ``|``-separated cell into its non-empty, stripped parts."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    return [part.strip() for part in str(value).split("|") if part.strip()]


@dataclass(frozen=True)
class Taxonomy:
    """Occupations, competences, their relations and the industries."""

    occupations: pd.DataFrame
    competences: pd.DataFrame
    relations: pd.DataFrame
    industries: pd.DataFrame
    source: str = "bundled"

    # -- look-ups -------------------------------------------------------
    def competence(self, competence_id: str) -> pd.Series:
        return self.competences.loc[self.competences["competence_id"] == competence_id].iloc[0]

    def occupation(self, occupation_id: str) -> pd.Series:
        return self.occupations.loc[self.occupations["occupation_id"] == occupation_id].iloc[0]

    def competences_of(self, occupation_id: str, relation: str | None = None) -> list[str]:
        rel = self.relations[self.relations["occupation_id"] == occupation_id]
        if relation is not None:
            rel = rel[rel["relation"] == relation]
        return rel["competence_id"].tolist()

    def personal_competences(self) -> pd.DataFrame:
        return self.competences[self.competences["kind"] == "personal"]

    def surface_forms(self, lang: str = "da") -> dict[str, list[str]]:
        """competence_id → preferred label followed by its synonyms, in one language."""
        out: dict[str, list[str]] = {}
        for row in self.competences.itertuples(index=False):
            label = getattr(row, f"label_{lang}")
            forms = [label, *split_multi(getattr(row, f"synonyms_{lang}"))]
            seen: dict[str, None] = {}
            for form in forms:
                if form and form.lower() not in seen:
                    seen[form.lower()] = None
            out[row.competence_id] = list(seen)
        return out

    # -- checks -----------------------------------------------------------
    def validate(self) -> list[str]:
        """Return a list of problems (empty when the taxonomy is sound)."""
        problems: list[str] = []
        occ, comp, rel, ind = self.occupations, self.competences, self.relations, self.industries
        for name, df, key in (("occupation", occ, "occupation_id"), ("competence", comp, "competence_id"),
                              ("industry", ind, "industry")):
            dup = df[key][df[key].duplicated()].unique().tolist()
            if dup:
                problems.append(f"duplicate {name} ids: {dup[:10]}")
        for col in ("title_da", "title_en"):
            empty = occ.loc[occ[col].fillna("").str.strip() == "", "occupation_id"].tolist()
            if empty:
                problems.append(f"occupations without {col}: {empty[:10]}")
        for col in ("label_da", "label_en"):
            empty = comp.loc[comp[col].fillna("").str.strip() == "", "competence_id"].tolist()
            if empty:
                problems.append(f"competences without {col}: {empty[:10]}")
        bad_isco = occ.loc[~occ["isco"].astype(str).str.fullmatch(r"\d{4}"), "occupation_id"].tolist()
        if bad_isco:
            problems.append(f"occupations with an ISCO code that is not 4 digits: {bad_isco[:10]}")
        bad_group = comp.loc[~comp["group"].isin(GROUPS), "competence_id"].tolist()
        if bad_group:
            problems.append(f"competences with unknown group code: {bad_group[:10]}")
        bad_kind = comp.loc[~comp["kind"].isin(KINDS), "competence_id"].tolist()
        if bad_kind:
            problems.append(f"competences with unknown kind: {bad_kind[:10]}")
        bad_ind = occ.loc[~occ["industry"].isin(ind["industry"]), "occupation_id"].tolist()
        if bad_ind:
            problems.append(f"occupations with unknown industry: {bad_ind[:10]}")
        if "education_level" in occ:
            bad_edu = occ.loc[~occ["education_level"].isin(EDUCATION_LEVELS), "occupation_id"].tolist()
            if bad_edu:
                problems.append(f"occupations with unknown education level: {bad_edu[:10]}")
        orphan_occ = sorted(set(rel["occupation_id"]) - set(occ["occupation_id"]))
        if orphan_occ:
            problems.append(f"relations to unknown occupations: {orphan_occ[:10]}")
        orphan_comp = sorted(set(rel["competence_id"]) - set(comp["competence_id"]))
        if orphan_comp:
            problems.append(f"relations to unknown competences: {orphan_comp[:10]}")
        bad_rel = rel.loc[~rel["relation"].isin(RELATIONS)]
        if len(bad_rel):
            problems.append(f"relations with unknown type: {bad_rel['relation'].unique().tolist()[:5]}")
        dup_rel = rel[rel.duplicated(["occupation_id", "competence_id"])]
        if len(dup_rel):
            problems.append(f"duplicate relations: {dup_rel.head(5).values.tolist()}")
        no_essential = sorted(set(occ["occupation_id"]) - set(rel.loc[rel["relation"] == "essential", "occupation_id"]))
        if no_essential:
            problems.append(f"occupations without essential competences: {no_essential[:10]}")
        return problems


def _read_parts(folder: Path, prefix: str, columns: list[str]) -> pd.DataFrame:
    files = sorted(folder.glob(f"{prefix}_*.csv")) + sorted(folder.glob(f"{prefix}.csv"))
    if not files:
        raise FileNotFoundError(f"No {prefix} CSV files in {folder}")
    frames = []
    for path in files:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        missing = [c for c in columns if c not in df.columns]
        if missing:
            raise ValueError(f"{path.name} lacks columns {missing}")
        frames.append(df[columns].apply(lambda s: s.str.strip()))
    return pd.concat(frames, ignore_index=True)


def load_taxonomy_from(folder: Path, source: str = "bundled") -> Taxonomy:
    """Read a taxonomy folder written in the bundled CSV format."""
    occupations = _read_parts(folder, "occupations", OCCUPATION_COLUMNS)
    competences = _read_parts(folder, "competences", COMPETENCE_COLUMNS)
    relations = _read_parts(folder, "relations", RELATION_COLUMNS)
    relations = relations.drop_duplicates(["occupation_id", "competence_id"], keep="first").reset_index(drop=True)
    industries = _read_parts(folder, "industries", INDUSTRY_COLUMNS)
    return Taxonomy(occupations, competences, relations, industries, source=source)


@lru_cache(maxsize=4)
def _cached(folder: str) -> Taxonomy:
    return load_taxonomy_from(Path(folder))


def load_taxonomy(folder: Path | None = None) -> Taxonomy:
    """Load (and cache per process) the taxonomy from ``folder`` or the configured one."""
    return _cached(str(folder or config.taxonomy_dir()))


def write_taxonomy(tax: Taxonomy, folder: Path) -> None:
    """Write a taxonomy in the bundled CSV format (used by the ESCO importer)."""
    folder.mkdir(parents=True, exist_ok=True)
    tax.occupations[OCCUPATION_COLUMNS].to_csv(folder / "occupations.csv", index=False)
    tax.competences[COMPETENCE_COLUMNS].to_csv(folder / "competences.csv", index=False)
    tax.relations[RELATION_COLUMNS].to_csv(folder / "relations.csv", index=False)
    tax.industries[INDUSTRY_COLUMNS].to_csv(folder / "industries.csv", index=False)
