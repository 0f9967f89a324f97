"""Import the official ESCO classification as a jobmatch taxonomy.

Why
---
jobmatch ships a small hand-written taxonomy. A municipality that wants the
full European classification (about 3,000 occupations and 14,000 skills, in
Danish) can import ESCO instead. The importer turns ESCO's CSV download into
the same four tables as the bundled taxonomy (see :mod:`jobmatch.taxonomy`).
Nothing is downloaded at run time: you download ESCO once yourself, and the
importer only reads local files.

How a municipality does it
--------------------------
1. Open the ESCO portal's download page
   (https://esco.ec.europa.eu/en/use-esco/download). Choose the newest ESCO
   version, the *classification*, language **Danish (da)** and file type
   **CSV**. The portal prepares a ZIP file (it may e-mail you a link to it).
   Unzip it into a folder, e.g. ``esco-da/``. If you also want the English
   titles (used for English CVs and postings), download the same version
   in **English (en)** as well and unzip it into another folder, e.g. ``esco-en/``.
2. Run::

       python -m jobmatch taxonomy import-esco esco-da/ --out /srv/jobmatch/taxonomy-esco
       # optionally: --english esco-en/   and --json for a machine-readable summary

3. Point jobmatch at the result (e.g. in the service's environment)::

       JOBMATCH_TAXONOMY_DIR=/srv/jobmatch/taxonomy-esco

ESCO is published by the European Commission; re-use must acknowledge the
source (the importer writes an ``esco_import.json`` next to the tables with
the attribution and counts).

Which files are read
--------------------
Required (``<lang>`` is the language code, e.g. ``da``):
``occupations_<lang>.csv``, ``skills_<lang>.csv``,
``occupationSkillRelations_<lang>.csv`` (ESCO v1.0 named it
``occupationSkillRelations.csv``; both are accepted) and ``ISCOGroups_<lang>.csv``.
Optional: ``skillGroups_<lang>.csv`` and ``broaderRelationsSkillPillar_<lang>.csv``
(the skill hierarchy; without them every skill gets a default group, see below).
Files are looked for in the folder and up to two sub-folders deep, so the
folder that holds the unzipped download works too.

The reader is tolerant of the differences between ESCO versions and of files
that have been through a spreadsheet: column names are matched ignoring case,
spaces and underscores; a byte-order mark at the start of a file is ignored;
semicolon-separated files are recognised; extra columns (``occupationLabel``,
``skillLabel``, ``conceptLabel``, ``naceCode`` …) are ignored; alternative
labels may be separated by new lines (as ESCO does) or by ``|``.

How ESCO maps onto our tables
-----------------------------
occupations
    ``occupation_id`` = ``conceptUri``; ``isco`` = the 4-digit ``iscoGroup``
    (or the first four digits of ``code``, e.g. ``2654.1.7``);
    ``title_<lang>`` = ``preferredLabel``; ``alt_titles_<lang>`` = ``altLabels``
    joined with ``|`` (duplicates and the preferred label itself removed).
    The other language's title comes from ``english_folder`` when given; without
    it the title is the same label as the main language and the alternative
    titles are left empty (so English text is still matched on the Danish title).
    ``industry`` is derived from the ISCO code with :data:`ISCO_INDUSTRY`
    (longest matching prefix wins; :data:`FALLBACK_INDUSTRY` otherwise).
    ``education_level`` is derived from the ISCO code with
    :data:`ISCO_EDUCATION`. ISCO's "skill levels" describe the work, not the
    Danish education system, so this is an approximation: managers → mvu,
    professionals → lvu (nurses, teachers, therapists, social workers → mvu),
    technicians and associate professionals → kvu, major groups 4–8 → eud,
    elementary occupations → grundskole.
competences
    ``competence_id`` = ``conceptUri``; ``label_<lang>`` = ``preferredLabel``;
    ``synonyms_<lang>`` = ``altLabels``. ``group`` is found by walking the
    skill-pillar hierarchy (``broaderRelationsSkillPillar``) upwards to the
    nearest group whose code (from ``skillGroups``) gives one of our group
    codes: ``S1``–``S8``, ``K00``–``K10`` (ESCO uses the ISCED-F field codes
    ``06``, ``0613`` … for knowledge; ``K06``-style codes are accepted too),
    ``T1``–``T6``, ``A1`` (attitudes) / ``A2`` (values) and ``L1`` (languages).
    The walk passes through skills as well (``understand spoken Danish`` →
    ``Danish`` → ``languages``). When a skill has several broader concepts the
    nearest group wins, and among equally near ones the first in the file.
    When no group can be found: knowledge → ``K99`` (field unknown), other
    skills → :data:`DEFAULT_SKILL_GROUP`. ``kind`` is ``personal`` for groups
    ``A*``, ``T3`` (self-management) and ``T4`` (social and communication),
    otherwise ``professional``.
relations
    ``essential`` / ``optional`` from ``relationType``. Relations to unknown
    occupations or skills are dropped; when a pair is listed twice, essential wins.
    Occupations left without any essential skill are dropped, because the
    matcher needs essential skills (and :meth:`Taxonomy.validate` requires them).
industries
    a copy of the bundled ``industries.csv``.

Rows that cannot be used (no label, no ISCO code, obsolete) are dropped and
counted in a warning on the ``jobmatch.esco_import`` logger; a missing or
unreadable file raises :class:`EscoImportError` (a ``ValueError``) naming it.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from jobmatch import config
from jobmatch.taxonomy import (
    COMPETENCE_COLUMNS,
    EDUCATION_LEVELS,
    GROUPS,
    INDUSTRY_COLUMNS,
    OCCUPATION_COLUMNS,
    RELATION_COLUMNS,
    RELATIONS,
    Taxonomy,
    write_taxonomy,
)

log = logging.getLogger(__name__)

#: Languages the taxonomy has columns for.
LANGUAGES = ("da", "en")

#: Files that must be present in the ESCO folder (``<stem>_<lang>.csv``).
REQUIRED_FILES = ("occupations", "skills", "occupationSkillRelations", "ISCOGroups")
#: Files that improve the result when present.
OPTIONAL_FILES = ("skillGroups", "broaderRelationsSkillPillar")
#: Files that hold no labels, so older versions published them without a language suffix.
_LANGUAGE_FREE = ("occupationSkillRelations", "broaderRelationsSkillPillar")

#: Group of a skill/competence whose place in the hierarchy is unknown. The
#: GROUPS table has no "unknown skill" code (K99 exists only for knowledge), so
#: this is a stable but arbitrary choice: "information skills" is the broadest
#: of the S groups. The number of skills that got it is logged.
DEFAULT_SKILL_GROUP = "S2"
#: Group of a knowledge concept whose field is unknown.
DEFAULT_KNOWLEDGE_GROUP = "K99"
#: Group of a concept that sits directly under a pillar (no numbered group).
PILLAR_DEFAULT_GROUP: dict[str, str] = {
    "S": DEFAULT_SKILL_GROUP,
    "K": DEFAULT_KNOWLEDGE_GROUP,
    "T": "T1",
    "A": "A1",
    "L": "L1",
}
#: Groups whose skills count as personal competences.
PERSONAL_GROUP_PATTERN = r"A\d+|T3|T4"

#: Industry by ISCO-08 code prefix (sub-major group, 2 digits; a few minor
#: groups, 3 digits, and unit groups, 4 digits, where the sub-major group mixes
#: industries). The longest matching prefix wins. Values are the industries of
#: the bundled ``industries.csv``.
ISCO_INDUSTRY: dict[str, str] = {
    # 0 Armed forces
    "01": "security_emergency", "02": "security_emergency", "03": "security_emergency",
    # 1 Managers
    "11": "management", "12": "management", "13": "management", "14": "management",
    # 2 Professionals
    "21": "engineering_energy",
    "211": "academic_public", "212": "academic_public", "213": "academic_public",  # physics, maths, life science
    "2163": "culture_media", "2166": "culture_media",  # product/garment and graphic designers
    "22": "health_care",
    "23": "pedagogy_education",
    "24": "office_finance",
    "25": "it_telecom",
    "26": "academic_public",
    "262": "culture_media",  # librarians, archivists, curators
    "2635": "social_work", "2636": "social_work",  # social work and counselling, religious professionals
    "264": "culture_media", "265": "culture_media",  # authors, journalists, translators; artists
    # 3 Technicians and associate professionals
    "31": "engineering_energy",
    "3123": "construction",  # construction supervisors
    "313": "industry_production",  # process control technicians
    "315": "transport_logistics",  # ship and aircraft controllers and technicians
    "32": "health_care",
    "33": "office_finance",
    "332": "retail_sales",  # sales and purchasing agents and brokers
    "3355": "security_emergency",  # police inspectors and detectives
    "34": "culture_media",
    "341": "social_work",  # legal, social and religious associate professionals
    "3411": "office_finance",  # legal and related associate professionals
    "342": "pedagogy_education",  # sports and fitness workers (instructors, coaches)
    "3434": "hospitality",  # chefs
    "35": "it_telecom",
    # 4 Clerical support workers
    "41": "office_finance", "42": "office_finance", "43": "office_finance", "44": "office_finance",
    "4221": "hospitality", "4224": "hospitality",  # travel consultants, hotel receptionists
    "432": "transport_logistics",  # stock, production and transport clerks
    # 5 Service and sales workers
    "51": "hospitality",
    "511": "transport_logistics",  # travel attendants, conductors and guides
    "514": "retail_sales", "516": "retail_sales",  # hairdressers, beauticians; other personal services
    "515": "cleaning_property",  # building and housekeeping supervisors
    "52": "retail_sales",
    "53": "health_care",
    "531": "pedagogy_education",  # child care workers and teachers' aides
    "54": "security_emergency",
    # 6 Skilled agricultural, forestry and fishery workers
    "61": "agriculture_green", "62": "agriculture_green", "63": "agriculture_green",
    # 7 Craft and related trades workers
    "71": "construction",
    "72": "industry_production", "73": "industry_production", "75": "industry_production",
    "74": "engineering_energy",
    "7411": "construction",  # building and related electricians
    "742": "it_telecom",  # electronics and telecommunications installers and repairers
    # 8 Plant and machine operators and assemblers
    "81": "industry_production", "82": "industry_production",
    "83": "transport_logistics",
    # 9 Elementary occupations
    "91": "cleaning_property",
    "92": "agriculture_green",
    "93": "transport_logistics",
    "931": "construction",  # mining and construction labourers
    "932": "industry_production",  # manufacturing labourers
    "94": "hospitality",
    "95": "retail_sales",
    "96": "cleaning_property",
    "9621": "transport_logistics",  # messengers, package deliverers and luggage porters
}
#: Industry of an ISCO code that matches no prefix above.
FALLBACK_INDUSTRY = "office_finance"

#: Typical Danish education level by ISCO-08 code prefix (an approximation of
#: ISCO's skill levels; longest matching prefix wins).
ISCO_EDUCATION: dict[str, str] = {
    "01": "mvu", "02": "eud", "03": "grundskole",
    "1": "mvu",
    "2": "lvu",
    "222": "mvu",  # nursing and midwifery professionals
    "2264": "mvu", "2265": "mvu", "2266": "mvu", "2267": "mvu", "2269": "mvu",  # therapists, dieticians …
    "2341": "mvu", "2342": "mvu",  # primary school and early childhood teachers
    "2635": "mvu",  # social work and counselling professionals
    "3": "kvu",
    "4": "eud", "5": "eud", "6": "eud", "7": "eud", "8": "eud",
    "9": "grundskole",
}
#: Education level of an ISCO code that matches no prefix above.
FALLBACK_EDUCATION = "eud"

_ALT_SEPARATOR = r"\s*(?:\r\n|\r|\n|\|)\s*"
_OBSOLETE_STATUS = ("obsolete", "deprecated")
_ATTRIBUTION = (
    "Contains ESCO data (European Skills, Competences, Qualifications and Occupations), "
    "© European Union, https://esco.ec.europa.eu"
)


class EscoImportError(ValueError):
    """The ESCO folder or one of its files cannot be used (the message says why)."""


# ---------------------------------------------------------------------------
# Reading the CSV files
# ---------------------------------------------------------------------------
def _normalise_column(name: object) -> str:
    """Column key that ignores case, BOM, spaces and punctuation: ``'Concept URI'`` → ``'concepturi'``."""
    return re.sub(r"[^0-9a-z]", "", str(name).replace("\ufeff", "").lower())


@dataclass(frozen=True)
class _EscoFile:
    """One ESCO CSV file with normalised column names."""

    path: Path
    frame: pd.DataFrame
    original_columns: tuple[str, ...]

    def column(self, *names: str, required: bool = True) -> pd.Series:
        """The first of ``names`` that exists, stripped; empty strings when optional and absent."""
        for name in names:
            key = _normalise_column(name)
            if key in self.frame.columns:
                return self.frame[key].fillna("").astype(str).str.strip()
        if required:
            raise EscoImportError(
                f"{self.path.name} lacks the column {names[0]!r} "
                f"(found: {', '.join(self.original_columns) or 'no columns'})"
            )
        return pd.Series("", index=self.frame.index, dtype="str")


def _find_file(folder: Path, stem: str, lang: str, required: bool) -> Path | None:
    """Locate ``<stem>_<lang>.csv`` (case-insensitively) in ``folder`` or up to two levels below."""
    names = [f"{stem}_{lang}.csv".lower()]
    if stem in _LANGUAGE_FREE:
        names.append(f"{stem}.csv".lower())
    for wanted in names:
        for pattern in ("*.csv", "*/*.csv", "*/*/*.csv"):
            hits = sorted(p for p in folder.glob(pattern) if p.is_file() and p.name.lower() == wanted)
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                listing = ", ".join(str(p.relative_to(folder)) for p in hits)
                raise EscoImportError(f"Several {stem}_{lang}.csv files under {folder}: {listing}. Keep one.")
    if required:
        raise EscoImportError(
            f"The ESCO file {stem}_{lang}.csv is missing in {folder}. Download the ESCO classification "
            f"as CSV in language '{lang}' from the ESCO portal and unzip all its files into this folder."
        )
    return None


def _separator(path: Path) -> str:
    """``;`` for files saved by a Danish spreadsheet, else ``,`` (ESCO's own)."""
    with path.open("r", encoding="utf-8-sig", errors="replace") as fh:
        header = fh.readline()
    return ";" if header.count(";") > header.count(",") else ","


def _read(path: Path) -> _EscoFile:
    try:
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding="utf-8-sig", sep=_separator(path)
        )
    except UnicodeDecodeError as exc:
        raise EscoImportError(
            f"{path.name} is not UTF-8 text (was it re-saved by a spreadsheet?). "
            "Use the file exactly as downloaded from ESCO."
        ) from exc
    except pd.errors.EmptyDataError as exc:
        raise EscoImportError(f"{path.name} is empty.") from exc
    except pd.errors.ParserError as exc:
        raise EscoImportError(f"{path.name} could not be read as CSV: {exc}") from exc
    original = tuple(str(c).replace("\ufeff", "").strip() for c in frame.columns)
    frame.columns = [_normalise_column(c) for c in frame.columns]
    frame = frame.loc[:, ~frame.columns.duplicated()]
    return _EscoFile(path, frame, original)


def _load(folder: Path, stem: str, lang: str, required: bool = True) -> _EscoFile | None:
    path = _find_file(folder, stem, lang, required)
    return None if path is None else _read(path)


# ---------------------------------------------------------------------------
# Small vectorised helpers
# ---------------------------------------------------------------------------
def clean_label(labels: pd.Series) -> pd.Series:
    """Collapse internal white space (labels must fit on one CSV line)."""
    return labels.fillna("").astype(str).str.replace(r"\s+", " ", regex=True).str.strip()


def join_alt_labels(alt_labels: pd.Series, preferred: pd.Series) -> pd.Series:
    """ESCO ``altLabels`` (new-line or ``|`` separated) → ``|``-joined, de-duplicated.

    Duplicates are removed ignoring case, and so is the preferred label itself.
    Both series must share an index.
    """
    alt_labels = alt_labels.fillna("").astype(str)
    parts = alt_labels.str.split(_ALT_SEPARATOR, regex=True).explode()
    parts = parts.dropna().astype(str).str.replace(r"\s+", " ", regex=True).str.strip()
    parts = parts[parts != ""]
    if parts.empty:
        return pd.Series("", index=alt_labels.index, dtype="str")
    key = parts.str.casefold()
    pref_key = clean_label(preferred).str.casefold().reindex(parts.index)
    frame = pd.DataFrame({"row": parts.index, "label": parts.to_numpy(), "key": key.to_numpy(),
                          "pref": pref_key.to_numpy()})
    frame = frame[frame["key"] != frame["pref"]].drop_duplicates(["row", "key"])
    joined = frame.groupby("row", sort=False)["label"].agg("|".join)
    return joined.reindex(alt_labels.index, fill_value="").astype("str")


def _by_prefix(isco: pd.Series, table: Mapping[str, str], fallback: str) -> pd.Series:
    """Look codes up by their longest prefix present in ``table`` (vectorised)."""
    isco = isco.astype(str)
    result = pd.Series(pd.NA, index=isco.index, dtype="object")
    for length in sorted({len(k) for k in table}, reverse=True):
        result = result.fillna(isco.str[:length].map(table))
    return result.fillna(fallback).astype("str")


def industry_for_isco(isco: pd.Series) -> pd.Series:
    """Our industry for each 4-digit ISCO-08 code (see :data:`ISCO_INDUSTRY`)."""
    return _by_prefix(isco, ISCO_INDUSTRY, FALLBACK_INDUSTRY)


def education_for_isco(isco: pd.Series) -> pd.Series:
    """Typical Danish education level for each ISCO-08 code (see :data:`ISCO_EDUCATION`)."""
    return _by_prefix(isco, ISCO_EDUCATION, FALLBACK_EDUCATION)


# ---------------------------------------------------------------------------
# Skill groups
# ---------------------------------------------------------------------------
def group_from_code(code: str, uri: str = "") -> str | None:
    """Our group code for an ESCO skill-group code (or URI), a pillar letter, or None.

    ``'S1.1.2'`` → ``'S1'``; ``'0613'``, ``'K0613'`` or a ``…/isced-f/0613`` URI →
    ``'K06'``; ``'A2.1'`` → ``'A2'``; ``'T4'`` → ``'T4'``; ``'L2'`` → ``'L1'``
    (every language is L1). A bare pillar (``'S'``, ``'K'``, ``'T'``, ``'A'``) or a
    numbered group we do not know (``'S9'``) gives the pillar letter, which only
    counts when no better group is found.
    """
    c = re.sub(r"\s+", "", str(code or "")).upper()
    if re.fullmatch(r"L\d*(?:\..*)?", c):
        return "L1"
    m = re.fullmatch(r"([SAT])0*(\d+)(?:\..*)?", c)
    if m:
        candidate = f"{m.group(1)}{m.group(2)}"
        return candidate if candidate in GROUPS else m.group(1)
    m = re.fullmatch(r"K?(\d{2})\d*", c)
    if m is None and not c:
        m = re.search(r"/isced-f/(\d{2})\d*$", str(uri or ""))
    if m:
        candidate = f"K{m.group(1)}"
        return candidate if candidate in GROUPS else DEFAULT_KNOWLEDGE_GROUP
    if c in ("S", "K", "T", "A"):
        return c
    return None


def resolve_groups(
    concepts: Iterable[str],
    broader: Mapping[str, list[str]],
    node_group: Mapping[str, str],
) -> dict[str, str | None]:
    """The group of each concept, found by walking ``broader`` links upwards.

    ``node_group`` maps group URIs to the result of :func:`group_from_code`.
    A numbered group beats a bare pillar; then the nearest wins; ties go to the
    broader concept listed first. Cycles are ignored. Concepts with nothing
    found map to None.
    """
    memo: dict[str, tuple[int, int, str] | None] = {}

    def best(node: str, path: set[str]) -> tuple[int, int, str] | None:
        if node in memo:
            return memo[node]
        own = node_group.get(node)
        if own is not None and own in GROUPS:
            memo[node] = (0, 0, own)
            return memo[node]
        path.add(node)
        found: tuple[int, int, str] | None = None
        for parent in broader.get(node, ()):
            if parent in path:
                continue
            up = best(parent, path)
            if up is not None:
                candidate = (up[0], up[1] + 1, up[2])
                if found is None or candidate[:2] < found[:2]:
                    found = candidate
        path.discard(node)
        if found is None and own is not None:  # a bare pillar
            found = (1, 0, own)
        memo[node] = found
        return found

    out: dict[str, str | None] = {}
    for concept in concepts:
        hit = best(concept, set())
        out[concept] = None if hit is None else (hit[2] if hit[0] == 0 else PILLAR_DEFAULT_GROUP[hit[2]])
    return out


def _skill_groups(
    uris: pd.Series, groups_file: _EscoFile | None, broader_file: _EscoFile | None
) -> dict[str, str | None]:
    node_group: dict[str, str] = {}
    if groups_file is not None:
        g_uri = groups_file.column("conceptUri")
        g_code = groups_file.column("code", required=False)
        for uri, code in zip(g_uri, g_code):
            group = group_from_code(code, uri)
            if group is not None:
                node_group[uri] = group
    broader: dict[str, list[str]] = {}
    if broader_file is not None:
        for child, parent in zip(broader_file.column("conceptUri"), broader_file.column("broaderUri")):
            if child and parent:
                broader.setdefault(child, []).append(parent)
        for parent in {p for ps in broader.values() for p in ps} - node_group.keys():
            group = group_from_code("", parent)  # ISCED-F URIs tell the field without skillGroups
            if group is not None:
                node_group[parent] = group
    return resolve_groups(uris, broader, node_group)


# ---------------------------------------------------------------------------
# The three ESCO tables
# ---------------------------------------------------------------------------
def _drop_obsolete(file: _EscoFile, what: str, notes: list[str]) -> pd.Series:
    status = file.column("status", required=False).str.lower()
    keep = ~status.isin(_OBSOLETE_STATUS)
    if (~keep).any():
        notes.append(f"{int((~keep).sum())} obsolete {what} skipped")
    return keep


def _isco_codes(occupations: _EscoFile, isco_groups: _EscoFile) -> pd.Series:
    """4-digit ISCO code per occupation from ``iscoGroup`` (code or URI), else from ``code``."""
    group = occupations.column("iscoGroup")
    uri_to_code = dict(zip(isco_groups.column("conceptUri"), isco_groups.column("code")))
    group = group.map(lambda v: uri_to_code.get(v, v))
    from_group = group.str.extract(r"^(?:.*/)?C?(\d{4})$")[0]
    from_code = occupations.column("code", required=False).str.extract(r"^(\d{4})(?:\.|$)")[0]
    return from_group.fillna(from_code)


def _labels(file: _EscoFile) -> pd.DataFrame:
    """uri → label and joined alternative labels."""
    uri = file.column("conceptUri")
    label = clean_label(file.column("preferredLabel"))
    alt = join_alt_labels(file.column("altLabels", required=False), label)
    frame = pd.DataFrame({"uri": uri, "label": label, "alt": alt})
    return frame[frame["uri"] != ""].drop_duplicates("uri").set_index("uri")


def _other_language(
    uris: pd.Series, main: pd.DataFrame, other: pd.DataFrame | None, what: str, notes: list[str]
) -> pd.DataFrame:
    """Labels in the second language, falling back to the main-language label."""
    if other is None:
        return pd.DataFrame({"label": main["label"].to_numpy(), "alt": ""}, index=uris.index)
    found = other.reindex(uris.to_numpy())
    found.index = uris.index
    label = found["label"].fillna("").astype(str)
    missing = label == ""
    if missing.any():
        notes.append(f"{int(missing.sum())} {what} have no English label; the Danish label is used")
    label = label.where(~missing, main["label"].to_numpy())
    return pd.DataFrame({"label": label, "alt": found["alt"].fillna("").astype(str)}, index=uris.index)


def _occupations(
    file: _EscoFile, isco_groups: _EscoFile, lang: str, english: pd.DataFrame | None, notes: list[str]
) -> pd.DataFrame:
    keep = _drop_obsolete(file, "occupations", notes)
    uri = file.column("conceptUri")
    label = clean_label(file.column("preferredLabel"))
    alt = join_alt_labels(file.column("altLabels", required=False), label)
    isco = _isco_codes(file, isco_groups)
    frame = pd.DataFrame({"uri": uri, "label": label, "alt": alt, "isco": isco})[keep]

    bad = frame["uri"] == ""
    frame = frame[~bad]
    dup = frame["uri"].duplicated()
    if dup.any():
        notes.append(f"{int(dup.sum())} repeated occupation rows skipped")
        frame = frame[~dup]
    no_isco = frame["isco"].isna()
    if no_isco.any():
        notes.append(f"{int(no_isco.sum())} occupations without a 4-digit ISCO code skipped")
        frame = frame[~no_isco]
    known_isco = set(isco_groups.column("code"))
    unknown = ~frame["isco"].isin(known_isco)
    if unknown.any():
        notes.append(f"{int(unknown.sum())} occupations have an ISCO code not listed in ISCOGroups (kept)")

    other = _other_language(frame["uri"], frame, english, "occupations", notes)
    frame["label"] = frame["label"].where(frame["label"] != "", other["label"])
    no_label = frame["label"] == ""
    if no_label.any():
        notes.append(f"{int(no_label.sum())} occupations without a preferred label skipped")
        frame, other = frame[~no_label], other[~no_label]

    other_lang = "en" if lang == "da" else "da"
    out = pd.DataFrame({
        "occupation_id": frame["uri"],
        "isco": frame["isco"].astype(str),
        f"title_{lang}": frame["label"],
        f"title_{other_lang}": other["label"],
        f"alt_titles_{lang}": frame["alt"],
        f"alt_titles_{other_lang}": other["alt"],
    })
    out["industry"] = industry_for_isco(out["isco"])
    out["education_level"] = education_for_isco(out["isco"])
    return out[OCCUPATION_COLUMNS].reset_index(drop=True)


def _is_knowledge(skill_type: pd.Series) -> pd.Series:
    t = skill_type.str.lower()
    return t.str.contains("knowledge", regex=False) | (t == "viden")


def _competences(
    file: _EscoFile,
    groups_file: _EscoFile | None,
    broader_file: _EscoFile | None,
    lang: str,
    english: pd.DataFrame | None,
    notes: list[str],
) -> pd.DataFrame:
    keep = _drop_obsolete(file, "skills", notes)
    uri = file.column("conceptUri")
    label = clean_label(file.column("preferredLabel"))
    alt = join_alt_labels(file.column("altLabels", required=False), label)
    knowledge = _is_knowledge(file.column("skillType", required=False))
    frame = pd.DataFrame({"uri": uri, "label": label, "alt": alt, "knowledge": knowledge})[keep]
    frame = frame[frame["uri"] != ""]
    dup = frame["uri"].duplicated()
    if dup.any():
        notes.append(f"{int(dup.sum())} repeated skill rows skipped")
        frame = frame[~dup]

    other = _other_language(frame["uri"], frame, english, "skills", notes)
    frame["label"] = frame["label"].where(frame["label"] != "", other["label"])
    no_label = frame["label"] == ""
    if no_label.any():
        notes.append(f"{int(no_label.sum())} skills without a preferred label skipped")
        frame, other = frame[~no_label], other[~no_label]

    resolved = _skill_groups(frame["uri"], groups_file, broader_file)
    group = frame["uri"].map(resolved)
    defaulted = group.isna()
    if defaulted.any():
        where = "no skill hierarchy files" if groups_file is None and broader_file is None else "not in the hierarchy"
        notes.append(
            f"{int(defaulted.sum())} skills got a default group ({where}): "
            f"knowledge → {DEFAULT_KNOWLEDGE_GROUP}, others → {DEFAULT_SKILL_GROUP}"
        )
    default = frame["knowledge"].map({True: DEFAULT_KNOWLEDGE_GROUP, False: DEFAULT_SKILL_GROUP})
    group = group.fillna(default).astype(str)

    other_lang = "en" if lang == "da" else "da"
    out = pd.DataFrame({
        "competence_id": frame["uri"],
        f"label_{lang}": frame["label"],
        f"label_{other_lang}": other["label"],
        f"synonyms_{lang}": frame["alt"],
        f"synonyms_{other_lang}": other["alt"],
        "group": group,
    })
    out["kind"] = out["group"].str.fullmatch(PERSONAL_GROUP_PATTERN).map({True: "personal", False: "professional"})
    return out[COMPETENCE_COLUMNS].reset_index(drop=True)


def _relations(file: _EscoFile, occupation_ids: pd.Series, competence_ids: pd.Series,
               notes: list[str]) -> pd.DataFrame:
    rel_type = file.column("relationType").str.lower().str.extract(r"(essential|optional)")[0]
    frame = pd.DataFrame({
        "occupation_id": file.column("occupationUri"),
        "competence_id": file.column("skillUri"),
        "relation": rel_type,
    })
    unknown_type = frame["relation"].isna()
    if unknown_type.any():
        notes.append(f"{int(unknown_type.sum())} relations with an unknown relationType skipped")
    known = frame["occupation_id"].isin(occupation_ids) & frame["competence_id"].isin(competence_ids)
    orphan = ~known & ~unknown_type
    if orphan.any():
        notes.append(f"{int(orphan.sum())} relations to occupations or skills not imported skipped")
    frame = frame[known & ~unknown_type]
    rank = frame["relation"].map({r: i for i, r in enumerate(RELATIONS)})
    frame = (frame.assign(_rank=rank).sort_values("_rank", kind="stable")
             .drop_duplicates(["occupation_id", "competence_id"]).sort_index().drop(columns="_rank"))
    frame["relation"] = frame["relation"].astype(str)
    return frame[RELATION_COLUMNS].reset_index(drop=True)


def _bundled_industries() -> pd.DataFrame:
    path = config.RESOURCES_DIR / "taxonomy" / "industries.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return frame[INDUSTRY_COLUMNS].apply(lambda s: s.str.strip()).reset_index(drop=True)


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------
def _check_folder(folder: Path | str, what: str) -> Path:
    path = Path(folder).expanduser()
    if not path.is_dir():
        raise EscoImportError(f"The {what} {path} does not exist or is not a folder.")
    return path


def import_esco(folder: Path, lang: str = "da", english_folder: Path | None = None) -> Taxonomy:
    """Read an unzipped ESCO CSV download into a :class:`Taxonomy` (see the module docstring).

    ``lang`` is the language of ``folder`` (``'da'`` or ``'en'``). ``english_folder``
    holds the English download of the same ESCO version and supplies the English
    titles when ``lang`` is ``'da'``.
    """
    if lang not in LANGUAGES:
        raise EscoImportError(f"Language must be one of {', '.join(LANGUAGES)}, got {lang!r}.")
    if english_folder is not None and lang == "en":
        raise EscoImportError("english_folder is only used when importing Danish (lang='da').")
    folder = _check_folder(folder, "ESCO folder")
    files = {stem: _load(folder, stem, lang) for stem in REQUIRED_FILES}
    optional = {stem: _load(folder, stem, lang, required=False) for stem in OPTIONAL_FILES}
    english_occ = english_skills = None
    if english_folder is not None:
        english_folder = _check_folder(english_folder, "English ESCO folder")
        english_occ = _labels(_load(english_folder, "occupations", "en"))
        english_skills = _labels(_load(english_folder, "skills", "en"))

    notes: list[str] = []
    occupations = _occupations(files["occupations"], files["ISCOGroups"], lang, english_occ, notes)
    competences = _competences(files["skills"], optional["skillGroups"], optional["broaderRelationsSkillPillar"],
                               lang, english_skills, notes)
    relations = _relations(files["occupationSkillRelations"], occupations["occupation_id"],
                           competences["competence_id"], notes)

    with_essential = set(relations.loc[relations["relation"] == "essential", "occupation_id"])
    lacking = ~occupations["occupation_id"].isin(with_essential)
    if lacking.any():
        notes.append(f"{int(lacking.sum())} occupations without any essential skill skipped")
        occupations = occupations[~lacking].reset_index(drop=True)
        relations = relations[relations["occupation_id"].isin(occupations["occupation_id"])].reset_index(drop=True)
    if occupations.empty:
        raise EscoImportError(f"No usable occupations found in {folder}.")
    if competences.empty:
        raise EscoImportError(f"No usable skills found in {folder}.")

    for note in notes:
        log.warning("ESCO import: %s", note)
    return Taxonomy(occupations, competences, relations, _bundled_industries(), source="esco")


def import_esco_to(
    folder_in: Path, folder_out: Path, lang: str = "da", english_folder: Path | None = None
) -> Taxonomy:
    """Import ESCO from ``folder_in`` and write it in the bundled format to ``folder_out``.

    Nothing is written unless the result passes :meth:`Taxonomy.validate`.
    ``folder_out`` must not hold a split taxonomy (``occupations_*.csv`` …),
    because the loader would merge those files with the import. Afterwards set
    ``JOBMATCH_TAXONOMY_DIR=folder_out``.
    """
    folder_out = Path(folder_out).expanduser()
    bundled = (config.RESOURCES_DIR / "taxonomy").resolve()
    if folder_out.resolve() == bundled:
        raise EscoImportError(f"Refusing to overwrite the bundled taxonomy in {bundled}; choose another --out.")
    if folder_out.exists() and not folder_out.is_dir():
        raise EscoImportError(f"{folder_out} exists and is not a folder.")
    if folder_out.is_dir():
        clash = sorted(p.name for prefix in ("occupations", "competences", "relations", "industries")
                       for p in folder_out.glob(f"{prefix}_*.csv"))
        if clash:
            raise EscoImportError(
                f"{folder_out} already holds taxonomy files that would be mixed with the import: "
                f"{', '.join(clash)}. Use an empty folder."
            )
    tax = import_esco(folder_in, lang=lang, english_folder=english_folder)
    problems = tax.validate()
    if problems:
        raise EscoImportError("The imported taxonomy is not sound; nothing written: " + "; ".join(problems))
    write_taxonomy(tax, folder_out)
    summary = cli_summary(tax)
    summary.update({"attribution": _ATTRIBUTION, "language": lang,
                    "english_labels": english_folder is not None})
    (folder_out / "esco_import.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n",
                                                 encoding="utf-8")
    return tax


def cli_summary(tax: Taxonomy) -> dict:
    """Counts describing a taxonomy, for the CLI's ``--json`` output (plain ints and strings)."""
    def counts(series: pd.Series) -> dict[str, int]:
        return {str(k): int(v) for k, v in series.value_counts().sort_index().items()}

    rel = tax.relations["relation"]
    return {
        "source": tax.source,
        "occupations": int(len(tax.occupations)),
        "competences": int(len(tax.competences)),
        "relations": int(len(tax.relations)),
        "relations_by_type": {r: int((rel == r).sum()) for r in RELATIONS},
        "competences_by_kind": counts(tax.competences["kind"]),
        "competences_by_group": counts(tax.competences["group"]),
        "occupations_by_industry": counts(tax.occupations["industry"]),
        "occupations_by_education_level": {
            level: int((tax.occupations["education_level"] == level).sum())
            for level in EDUCATION_LEVELS if (tax.occupations["education_level"] == level).any()
        },
        "industries": int(len(tax.industries)),
    }
