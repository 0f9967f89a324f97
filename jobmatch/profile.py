"""The citizen's competence profile — what the matching works from.

A profile is built from a CV's text (see :mod:`jobmatch.cv` for reading files
and :mod:`jobmatch.competences` for extraction) and can then be edited by the
consultant and the citizen together: competences added by hand carry
``source="manual"``, removed ones disappear. Every competence found in the CV
points back to the characters of the CV text that support it (``start``,
``end``) so the consultant can see the evidence.

The profile keeps competences, not identity: no name, address, age or other
personal data is part of it. The (redacted) CV text is held in memory for
text-similarity features and evidence highlighting, and is never written to
disk or logs by the library.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace


@dataclass(frozen=True)
class CompetenceMention:
    """One competence found in (or added to) a CV."""

    start: int
    end: int
    text: str
    competence_id: str | None  # None for a free-text competence not in the taxonomy
    label: str
    group: str  # ESCO group code (S1..S8, K00..K10, K99, A1, A2, T1..T6, L1)
    kind: str  # "personal" | "professional"
    confidence: float
    evidence: str = ""  # the sentence/line the mention stands in
    negated: bool = False  # "ingen erfaring med ..."
    source: str = "cv"  # "cv" | "manual"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class OccupationHeld:
    """A job title found in the work history, mapped to an occupation."""

    occupation_id: str | None
    isco: str | None
    title: str
    years: float
    start: int = -1  # character offsets of the title in the CV text
    end: int = -1

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class LanguageSkill:
    competence_id: str
    language: str
    level: str  # "native" | "fluent" | "good" | "intermediate" | "beginner" | "unknown"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Profile:
    """Competences, occupations, education, languages, licences and certificates of one citizen."""

    lang: str = "da"
    competences: list[CompetenceMention] = field(default_factory=list)
    occupations: list[OccupationHeld] = field(default_factory=list)
    education_level: str | None = None
    languages: list[LanguageSkill] = field(default_factory=list)
    licences: list[str] = field(default_factory=list)  # driving licence categories: "B", "C", "CE", ...
    certificates: list[str] = field(default_factory=list)  # competence ids of certificates
    notices: list[str] = field(default_factory=list)  # message codes, e.g. "truncated"
    text: str = ""  # the redacted CV text, in memory only

    # -- views used by matching ---------------------------------------------
    def competence_ids(self) -> set[str]:
        """Competences the citizen has (negated mentions and free text excluded)."""
        ids = {m.competence_id for m in self.competences if m.competence_id and not m.negated}
        ids |= {lang.competence_id for lang in self.languages if lang.level != "beginner"}
        ids |= set(self.certificates)
        return ids

    def personal(self) -> list[CompetenceMention]:
        return [m for m in self.competences if m.kind == "personal" and not m.negated]

    def professional(self) -> list[CompetenceMention]:
        return [m for m in self.competences if m.kind == "professional" and not m.negated]

    def years_in(self, isco_prefix: str) -> float:
        return sum(o.years for o in self.occupations if o.isco and o.isco.startswith(isco_prefix))

    # -- editing (returns a new profile; the original stays as the evidence) -
    def with_competence(self, mention: CompetenceMention) -> "Profile":
        if mention.competence_id and mention.competence_id in self.competence_ids():
            return self
        return replace(self, competences=[*self.competences, mention])

    def without_competence(self, competence_id: str) -> "Profile":
        return replace(
            self,
            competences=[m for m in self.competences if m.competence_id != competence_id],
            certificates=[c for c in self.certificates if c != competence_id],
            languages=[lang for lang in self.languages if lang.competence_id != competence_id],
        )

    def to_dict(self, include_text: bool = False) -> dict:
        out = {
            "lang": self.lang,
            "competences": [m.to_dict() for m in self.competences],
            "occupations": [o.to_dict() for o in self.occupations],
            "education_level": self.education_level,
            "languages": [lang.to_dict() for lang in self.languages],
            "licences": list(self.licences),
            "certificates": list(self.certificates),
            "notices": list(self.notices),
        }
        if include_text:
            out["text"] = self.text
        return out
