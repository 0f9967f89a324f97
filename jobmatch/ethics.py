"""The ethics register: ethical questions the project collects, assesses and decides on.

The project brief asks to "collect and assess ethical questions" — the
citizen's experience, the consultant's use of the tool as decision support,
transparency about data. This module makes that a register in the database
(table ``ethics_register``): each entry has a question, who raised it (a
role, never a name), when, an assessment, a decision and a status
(open → assessed → decided → closed). The project team edits it in the
dashboard; :func:`to_markdown` exports it (``python -m jobmatch ethics
export``) for the steering group and the public algorithm register.

:func:`seed_register` fills a new register with the questions the project
has already worked through, each answered by a feature of the tool. Seeding
is idempotent: seeded entries have a stable ``key`` and are inserted only
when missing, so running it again never duplicates or overwrites edits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from jobmatch.dbmodels import ETHICS_ROLES, ETHICS_STATUSES, EthicsEntry, utcnow

MAX_QUESTION = 1000
MAX_TEXT = 5000

ROLE_LABELS = {"projektgruppe": "Projektgruppe", "jobkonsulent": "Jobkonsulent", "borger": "Borger",
               "DPO": "DPO (databeskyttelsesrådgiver)", "IT": "IT"}
STATUS_LABELS = {"open": "Åben", "assessed": "Vurderet", "decided": "Besluttet", "closed": "Lukket"}

_EDITABLE = ("question", "raised_by_role", "raised_at", "assessment", "decision", "status")


class EthicsError(ValueError):
    """An entry the register refuses (unknown role or status, empty question, …)."""


@dataclass(frozen=True)
class Entry:
    """One register entry, detached from the database."""

    id: int
    key: str | None
    question: str
    raised_by_role: str
    raised_at: dt.date
    assessment: str
    decision: str
    status: str
    updated_at: dt.datetime

    @classmethod
    def from_row(cls, row: EthicsEntry) -> Entry:
        return cls(id=row.id, key=row.key, question=row.question, raised_by_role=row.raised_by_role,
                   raised_at=row.raised_at, assessment=row.assessment, decision=row.decision, status=row.status,
                   updated_at=row.updated_at)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["raised_at"] = self.raised_at.isoformat()
        out["updated_at"] = self.updated_at.isoformat()
        return out


# ---------------------------------------------------------------------------
# validation


def _role(value: str) -> str:
    canonical = {r.lower(): r for r in ETHICS_ROLES}.get(str(value).strip().lower())
    if canonical is None:
        raise EthicsError(f"raised_by_role must be one of {', '.join(ETHICS_ROLES)}, got {value!r}")
    return canonical


def _status(value: str) -> str:
    value = str(value).strip().lower()
    if value not in ETHICS_STATUSES:
        raise EthicsError(f"status must be one of {', '.join(ETHICS_STATUSES)}, got {value!r}")
    return value


def _date(value: dt.date | str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise EthicsError(f"raised_at must be a date like 2026-09-01, got {value!r}") from None


def _text(value: Any, field: str, limit: int, *, required: bool = False) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise EthicsError(f"{field} must not be empty")
    if len(text) > limit:
        raise EthicsError(f"{field} is longer than {limit} characters")
    return text


def _check_consistent(status: str, assessment: str, decision: str) -> None:
    if status in ("decided", "closed") and not decision:
        raise EthicsError(f"an entry with status '{status}' needs a decision")
    if status != "open" and not assessment:
        raise EthicsError(f"an entry with status '{status}' needs an assessment")


# ---------------------------------------------------------------------------
# CRUD


def add_entry(factory: sessionmaker[Session], *, question: str, raised_by_role: str,
              raised_at: dt.date | str | None = None, assessment: str = "", decision: str = "",
              status: str = "open", key: str | None = None) -> Entry:
    """Add a question to the register."""
    values = {
        "question": _text(question, "question", MAX_QUESTION, required=True),
        "raised_by_role": _role(raised_by_role),
        "raised_at": _date(raised_at),
        "assessment": _text(assessment, "assessment", MAX_TEXT),
        "decision": _text(decision, "decision", MAX_TEXT),
        "status": _status(status),
    }
    _check_consistent(values["status"], values["assessment"], values["decision"])
    with factory.begin() as session:
        row = EthicsEntry(key=key, updated_at=utcnow(), **values)
        session.add(row)
        session.flush()
        return Entry.from_row(row)


def get_entry(factory: sessionmaker[Session], entry_id: int) -> Entry | None:
    with factory() as session:
        row = session.get(EthicsEntry, entry_id)
        return Entry.from_row(row) if row else None


def list_entries(factory: sessionmaker[Session], *, status: str | None = None) -> list[Entry]:
    """Entries in the order they were raised (then by id); optionally only one status."""
    query = select(EthicsEntry).order_by(EthicsEntry.raised_at, EthicsEntry.id)
    if status is not None:
        query = query.where(EthicsEntry.status == _status(status))
    with factory() as session:
        return [Entry.from_row(row) for row in session.scalars(query)]


def update_entry(factory: sessionmaker[Session], entry_id: int, **changes: Any) -> Entry:
    """Change fields of an entry (question, raised_by_role, raised_at, assessment, decision, status)."""
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise EthicsError(f"cannot change {', '.join(sorted(unknown))}; editable: {', '.join(_EDITABLE)}")
    with factory.begin() as session:
        row = session.get(EthicsEntry, entry_id)
        if row is None:
            raise EthicsError(f"no entry {entry_id} in the ethics register")
        if "question" in changes:
            row.question = _text(changes["question"], "question", MAX_QUESTION, required=True)
        if "raised_by_role" in changes:
            row.raised_by_role = _role(changes["raised_by_role"])
        if "raised_at" in changes:
            row.raised_at = _date(changes["raised_at"])
        if "assessment" in changes:
            row.assessment = _text(changes["assessment"], "assessment", MAX_TEXT)
        if "decision" in changes:
            row.decision = _text(changes["decision"], "decision", MAX_TEXT)
        if "status" in changes:
            row.status = _status(changes["status"])
        _check_consistent(row.status, row.assessment, row.decision)
        row.updated_at = utcnow()
        session.flush()
        return Entry.from_row(row)


def delete_entry(factory: sessionmaker[Session], entry_id: int) -> bool:
    """Delete an entry; False when it did not exist. (Closing it keeps the history; prefer that.)"""
    with factory.begin() as session:
        row = session.get(EthicsEntry, entry_id)
        if row is None:
            return False
        session.delete(row)
        return True


# ---------------------------------------------------------------------------
# seed: the questions this project has worked through


SEED: tuple[dict[str, str], ...] = (
    {
        "key": "discrimination",
        "question": "Kan modellen diskriminere på køn, alder eller oprindelse?",
        "raised_by_role": "projektgruppe",
        "raised_at": "2026-08-17",
        "assessment": (
            "Modellen får hverken køn, alder eller oprindelse som input. Men andre oplysninger kan virke som "
            "stedfortrædere: sproget i CV'et, bopæl, huller i CV'et og tidligere brancher. Og de historiske "
            "ansættelser, modellen lærer af, kan afspejle tidligere forskelsbehandling."),
        "decision": (
            "Beskyttede oplysninger ligger kun i en separat audit-tabel og bruges kun til måling. For hver "
            "modelversion laves en fairness-rapport: NDCG@10 og eksponering pr. gruppe med bootstrap-intervaller, "
            "andel kønsatypiske forslag og et proxy-tjek (hvor godt modellens input forudsiger køn, alder og "
            "oprindelse). Invarianstests (navn, kønskodede ord og alder i CV'et byttes om) skal bestå. En "
            "modelversion, der overskrider tærsklerne i konfigurationen, tages ikke i brug."),
        "status": "decided",
    },
    {
        "key": "automation_bias",
        "question": "Læner konsulenten sig for meget op ad rangeringen (automation bias)?",
        "raised_by_role": "jobkonsulent",
        "raised_at": "2026-08-24",
        "assessment": (
            "En sorteret liste inviterer til at vælge fra toppen, og en score ser mere præcis ud, end den er. "
            "Erfaringer med profileringsværktøjer viser, at sagsbehandlere hverken kunne forklare eller "
            "udfordre scorerne."),
        "decision": (
            "Hvert forslag vises med begrundelser i almindeligt dansk frem for en score. Konsulenten kan skjule, "
            "fastgøre, flytte og tilføje job med håndkraft; hver handling logges med begrundelse. Projektgruppen "
            "følger, hvor ofte forslag tilsidesættes (pr. side og begrundelse). Næsten ingen tilsidesættelser er "
            "et advarselstegn, der tages op i brugsvejledningen og på konsulentmøder."),
        "status": "decided",
    },
    {
        "key": "citizen_understanding",
        "question": "Hvad ser borgeren, og forstår borgeren hvorfor et job foreslås?",
        "raised_by_role": "borger",
        "raised_at": "2026-08-31",
        "assessment": (
            "Borgeren sidder ved samme skærm som konsulenten. Forslag uden forklaring eller med tekniske begreber "
            "kan give mistillid eller en følelse af at blive sorteret. Det er uprøvet, om begrundelserne "
            "forstås af borgere med kort uddannelse eller dansk som andetsprog."),
        "decision": (
            "Foreløbigt: hvert forslag har få begrundelser i hverdagssprog (hvad der matcher, hvad der mangler, "
            "rejsetid), og en printbar borgerinformation forklarer, hvilke data der bruges og ikke bruges. "
            "Begrundelserne afprøves med borgere i piloten, før spørgsmålet afgøres."),
        "status": "assessed",
    },
    {
        "key": "data_legal_basis",
        "question": "Hvilke data behandles, med hvilken hjemmel, og hvor længe?",
        "raised_by_role": "DPO",
        "raised_at": "2026-09-02",
        "assessment": (
            "CV'et er personoplysninger og kan rumme følsomme oplysninger (helbred, fagforening, religion). "
            "Behandlingen sker som led i jobcentrets myndighedsudøvelse, men hjemlen i driftsfasen skal "
            "fastlægges af hver kommune, og en konsekvensanalyse (DPIA) er påkrævet."),
        "decision": (
            "Dataminimering: personoplysninger maskeres i CV-teksten før matchning; CV'et gemmes ikke, medmindre "
            "konsulenten udtrykkeligt gemmer noget, og så kun opslags-id'er og borgerens pseudonym. Audit-sporet "
            "gemmer saltede pseudonymer, aldrig CV-tekst. Opbevaringsperioden står i konfigurationen (standard "
            "5 år for audit-sporet), og sletning bevarer kædens verificerbarhed. Hver kommune udarbejder DPIA og "
            "fastlægger hjemmel, før værktøjet tages i drift."),
        "status": "decided",
    },
    {
        "key": "no_sanctions",
        "question": "Må værktøjet bruges til sanktioner eller rådighedsvurdering?",
        "raised_by_role": "projektgruppe",
        "raised_at": "2026-09-07",
        "assessment": (
            "Hvis forslag bruges som dokumentation for, at borgeren burde have søgt bestemte job, bliver et "
            "vejledningsværktøj til et kontrolværktøj. Det ændrer risikoen for borgeren og ødelægger tilliden "
            "i samtalen."),
        "decision": (
            "Nej. Værktøjet er beslutningsstøtte i dialogen mellem konsulent og borger. Sanktioner, "
            "rådighedsvurdering, ydelsesafgørelser og automatiske afgørelser af enhver art er uden for formålet. "
            "Det står i modelkortet, brugsvejledningen og borgerinformationen, og forslag i audit-sporet må ikke "
            "bruges som dokumentation i sager om rådighed."),
        "status": "closed",
    },
    {
        "key": "simulated_data",
        "question": "Simulerede demodata: hvad kan de ikke vise?",
        "raised_by_role": "IT",
        "raised_at": "2026-09-09",
        "assessment": (
            "Demoverdenen — opslag, borgere og udfald — er genereret. Tal fra den viser, at maskineriet virker, "
            "ikke at modellen er god eller retfærdig over for rigtige borgere; udfaldene afspejler generatorens "
            "egne antagelser, også om forskelle mellem grupper."),
        "decision": (
            "Alle tal fra demodata mærkes som simulerede i appen, modelkortet og databladet. Før drift trænes og "
            "evalueres modellen på kommunens egne data, og fairness-rapporten laves igen på dem."),
        "status": "decided",
    },
    {
        "key": "right_to_object",
        "question": "Retten til at gøre indsigelse og få en menneskelig vurdering",
        "raised_by_role": "borger",
        "raised_at": "2026-09-14",
        "assessment": (
            "Borgeren har ret til at gøre indsigelse mod behandlingen og ret til ikke at være genstand for en "
            "afgørelse, der alene bygger på automatisk behandling. Værktøjet træffer ingen afgørelser, men "
            "borgeren skal vide, at det er i orden at sige nej."),
        "decision": (
            "Borgerinformationen beskriver retten til at sige nej til værktøjet, retten til en forklaring og en "
            "menneskelig kontaktperson. Konsulenten kan altid arbejde uden værktøjet, og et nej har ingen "
            "betydning for borgerens sag."),
        "status": "decided",
    },
    {
        "key": "personal_competences",
        "question": "Personlige kompetencer: risiko for subjektiv vurdering",
        "raised_by_role": "jobkonsulent",
        "raised_at": "2026-09-21",
        "assessment": (
            "Personlige kompetencer (fx 'stabil', 'god til at samarbejde') er selvbeskrevne, vurderes forskelligt "
            "og kan være kønsstereotype. De kan trække forslag i en retning, der afspejler fordomme mere end "
            "evner."),
        "decision": (
            "Foreløbigt: personlige kompetencer vises adskilt fra faglige i begrundelserne, og kønskodede ord "
            "indgår i invarianstestene. Vægten af personlige kompetencer vurderes igen efter piloten."),
        "status": "assessed",
    },
    {
        "key": "geography",
        "question": "Geografisk afgrænsning og pendling",
        "raised_by_role": "jobkonsulent",
        "raised_at": "2026-09-28",
        "assessment": (
            "En fast grænse for rejsetid kan skjule relevante job for borgere uden bil og give forskellige "
            "muligheder alt efter bopæl. Rejsetiden er et skøn ud fra postnumre, ikke en rejseplan."),
        "decision": (
            "Transportform og længste rejsetid vælges sammen med borgeren (standard pr. kommune); rejsetiden står "
            "ved hvert forslag, og grænsen kan udvides. Rejsetiden oplyses som et skøn."),
        "status": "decided",
    },
    {
        "key": "stop_switch",
        "question": "Stop-knap og fallback til regelbaseret rangering",
        "raised_by_role": "IT",
        "raised_at": "2026-10-05",
        "assessment": (
            "Hvis modellen fejler, opfører sig uventet eller sættes på pause efter en fairness-rapport, må "
            "konsulenterne ikke stå uden værktøj, og det skal være tydeligt, hvilken rangering de ser."),
        "decision": (
            "Der er en stop-knap pr. installation og pr. session. Den skifter til en gennemsigtig regelbaseret "
            "rangering (andelen af opslagets krav, der findes i CV'et; nærmeste først ved lighed). Skiftet vises "
            "tydeligt på skærmen og registreres i audit-sporet som metode 'rule'."),
        "status": "decided",
    },
    {
        "key": "consultant_monitoring",
        "question": "Kan audit-sporet bruges til at overvåge den enkelte konsulent?",
        "raised_by_role": "jobkonsulent",
        "raised_at": "2026-10-12",
        "assessment": (
            "Audit-sporet er nødvendigt for ansvarlighed og tilsyn, men et detaljeret spor af hver konsulents "
            "handlinger kan bruges til præstationsovervågning og gøre konsulenter tilbageholdende med at "
            "tilsidesætte forslag."),
        "decision": (
            "Konsulenter og borgere står kun som saltede pseudonymer i sporet. Projektgruppens oversigt viser tal "
            "pr. side og begrundelse, ikke pr. konsulent. Sporet bruges til kvalitetssikring og tilsyn, ikke i "
            "personalesager, og kun projektgruppen har adgang."),
        "status": "decided",
    },
    {
        "key": "model_drift",
        "question": "Hvem opdager det, hvis modellen bliver dårligere over tid (nye job, nye brancher)?",
        "raised_by_role": "IT",
        "raised_at": "2026-10-19",
        "assessment": "",
        "decision": "",
        "status": "open",
    },
)


def seed_register(factory: sessionmaker[Session]) -> int:
    """Insert the seeded questions that are missing (by ``key``); returns how many were inserted."""
    inserted = 0
    with factory() as session:
        present = set(session.scalars(select(EthicsEntry.key).where(EthicsEntry.key.is_not(None))))
    for item in SEED:
        if item["key"] in present:
            continue
        try:
            add_entry(factory, **item)
        except IntegrityError:  # another process seeded the same key a moment ago
            continue
        inserted += 1
    return inserted


# ---------------------------------------------------------------------------
# Markdown export


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def to_markdown(entries: list[Entry], *, generated: dt.date | None = None) -> str:
    """The register as a Markdown document (Danish): an overview table, then each entry in full."""
    generated = generated or dt.date.today()
    counts = {s: sum(e.status == s for e in entries) for s in ETHICS_STATUSES}
    lines = [
        "# Etisk register — jobmatch",
        "",
        f"Udskrevet {generated.isoformat()}. {len(entries)} spørgsmål: "
        + ", ".join(f"{counts[s]} {STATUS_LABELS[s].lower()}" for s in ETHICS_STATUSES) + ".",
        "",
        "Registret samler de etiske spørgsmål, projektet har rejst, hvordan de er vurderet, og hvad der er "
        "besluttet. Spørgsmål rejses af en rolle, aldrig af en navngiven person.",
        "",
        "| Nr. | Spørgsmål | Rejst af | Dato | Status |",
        "|---:|---|---|---|---|",
    ]
    for number, entry in enumerate(entries, start=1):
        lines.append(f"| {number} | {_cell(entry.question)} | {ROLE_LABELS[entry.raised_by_role]} | "
                     f"{entry.raised_at.isoformat()} | {STATUS_LABELS[entry.status]} |")
    for number, entry in enumerate(entries, start=1):
        lines += [
            "",
            f"## {number}. {entry.question}",
            "",
            f"*Rejst af: {ROLE_LABELS[entry.raised_by_role]}, {entry.raised_at.isoformat()} · "
            f"Status: {STATUS_LABELS[entry.status]} · "
            f"Senest ændret {entry.updated_at.date().isoformat()}*",
            "",
            "**Vurdering.** " + (entry.assessment or "_Ikke vurderet endnu._"),
            "",
            "**Beslutning.** " + (entry.decision or "_Ingen beslutning endnu._"),
        ]
    return "\n".join(lines) + "\n"


def export_markdown(factory: sessionmaker[Session]) -> str:
    """The whole register as Markdown."""
    return to_markdown(list_entries(factory))
