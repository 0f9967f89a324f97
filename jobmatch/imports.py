"""Import a municipality's real data: job postings and interaction logs.

Both importers read CSV or JSON lines (``docs/import-format.md`` describes
every field), check every row, and return an :class:`ImportReport` that lists
each rejected row with its row number, the field and the reason. Nothing is
dropped silently: a row is either accepted (possibly with warnings, which are
listed too) or rejected with a reason.

Accepted rows are written into a data world folder (default
``config.world_dir()``) in exactly the tables :mod:`jobmatch.world` reads, so
retrieval, training and the app work on imported data unchanged:

* **postings** replace simulated postings; onto earlier *imported* postings
  they are merged by ``posting_id`` (a newer row wins) unless ``replace=True``.
* **interactions** must refer to postings already in the world (import postings
  first); they replace simulated interactions and are appended to imported
  ones (exact repeats are rejected as already imported, so re-running an
  import is harmless).

Tables that are present and not imported (the demo citizens, say) are kept;
missing ones are written empty, so the folder is a complete world. The
manifest records ``"simulated": false``, which source each table has and every
import (file name, checksum, counts) - and switches off demo mode (no login)
for the app (:func:`jobmatch.auth.demo_allowed`).

The folder is replaced in one step (written next to it, then renamed), so an
interrupted import leaves the previous world intact.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import io
import json
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from jobmatch import config

# ---------------------------------------------------------------------------
# schema

#: Columns of the postings table (as jobmatch.world documents them) plus the
#: two extra columns an import keeps: ``address`` and ``url``.
POSTING_COLUMNS: tuple[str, ...] = (
    "posting_id", "title", "occupation_id", "isco", "industry", "employer", "postcode", "municipality_code",
    "description", "lang", "hours", "weekly_hours", "posted_date", "deadline", "status", "address", "url",
)
INTERACTION_COLUMNS: tuple[str, ...] = ("citizen_id", "posting_id", "event", "timestamp")
CITIZEN_COLUMNS: tuple[str, ...] = ("citizen_id", "home_postcode", "municipality_code", "transport_mode",
                                    "max_minutes", "hours_wanted", "cv_lang", "cv_text")
AUDIT_COLUMNS: tuple[str, ...] = ("citizen_id", "gender", "age_band", "origin")

#: Input fields of a postings file (docs/import-format.md).
POSTING_FIELDS: tuple[str, ...] = (
    "posting_id", "title", "description", "employer", "address", "postcode", "occupation", "isco", "hours",
    "weekly_hours", "posted_date", "deadline", "lang", "url",
)
POSTING_REQUIRED: tuple[str, ...] = ("posting_id", "title", "description", "employer", "hours", "posted_date")
INTERACTION_FIELDS: tuple[str, ...] = INTERACTION_COLUMNS

MIN_DESCRIPTION = 50
MAX_DESCRIPTION = 20_000
MAX_TITLE = 200
MAX_ID = 64
#: Danish full time is 37 hours a week; 35 or more counts as full time.
FULL_TIME_HOURS = 37
FULL_TIME_FROM = 35
#: weekly hours assumed for a part-time posting that does not say how many
PART_TIME_DEFAULT_HOURS = 25
#: a posting without an application deadline ("snarest") is assumed open this long
DEFAULT_OPEN_DAYS = 42
DATE_RANGE = (dt.date(2000, 1, 1), dt.date(2100, 12, 31))

#: interaction events (English, as stored) and the Danish words a log may use instead
EVENTS: dict[str, str] = {
    "shown": "shown", "applied": "applied", "interview": "interview", "hired": "hired",
    "vist": "shown", "søgt": "applied", "ansøgt": "applied", "samtale": "interview", "ansat": "hired",
}

#: a Danish CPR number (ddmmyy-xxxx): never accepted as a citizen id
_CPR_RE = re.compile(r"^\s*\d{6}-?\d{4}\s*$")
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$")
_TAG_RE = re.compile(r"<[^>]+>")
_SPACE_RE = re.compile(r"[ \t\r\f\v]+")
_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)

FORMATS = ("csv", "jsonl")


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (unreadable, wrong format, required columns missing)."""


@dataclass
class Issue:
    """One problem with one row: rejected rows have at least one ``error``; warnings are kept rows."""

    row: int
    field: str
    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "code": self.code, "message": self.message}


@dataclass
class ImportReport:
    """What an import did: counts, every rejected row's reasons, every warning."""

    table: str
    file: str
    format: str
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written_to: str | None = None
    dry_run: bool = False
    table_rows_after: int | None = None

    @property
    def exit_code(self) -> int:
        """0 when anything was accepted, 1 when every row was rejected (or the file had none)."""
        return 0 if self.accepted else 1

    def reasons(self) -> dict[str, int]:
        """How many rejected rows per (field: code), most frequent first."""
        counts = Counter(f"{i.field}: {i.code}" for i in self.errors)
        return dict(counts.most_common())

    def to_dict(self) -> dict[str, Any]:
        return {"table": self.table, "file": self.file, "format": self.format, "rows": self.rows,
                "accepted": self.accepted, "rejected": self.rejected, "warnings_count": len(self.warnings),
                "reasons": self.reasons(), "errors": [i.to_dict() for i in self.errors],
                "warnings": [i.to_dict() for i in self.warnings], "notes": list(self.notes),
                "written_to": self.written_to, "dry_run": self.dry_run,
                "table_rows_after": self.table_rows_after}


# ---------------------------------------------------------------------------
# reading files


def detect_format(path: Path, fmt: str | None = None) -> str:
    if fmt:
        if fmt not in FORMATS:
            raise ImportFileError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        return fmt
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    raise ImportFileError(f"{path.name}: cannot tell the format from the file name; "
                          f"name it .csv or .jsonl, or pass --format csv|jsonl")


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path} is a folder, not a file") from None
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(f"{path.name} is not UTF-8 text; save it as UTF-8 (in Excel: "
                              "'CSV UTF-8 (kommasepareret)')") from None


def read_rows(path: Path, fmt: str, fields: tuple[str, ...], required: tuple[str, ...],
              notes: list[str]) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """Yield (row number, record or None, why it could not be read) for every data row.

    Row numbers are what a spreadsheet shows for CSV (the header is row 1) and
    line numbers for JSON lines. Raises :class:`ImportFileError` for a file
    that cannot be imported at all.
    """
    text = _read_text(path)
    if not text.strip():
        raise ImportFileError(f"{path.name} is empty")
    if fmt == "csv":
        yield from _csv_rows(text, path, fields, required, notes)
    else:
        yield from _jsonl_rows(text, path, fields, notes)


def _csv_rows(text: str, path: Path, fields: tuple[str, ...], required: tuple[str, ...],
              notes: list[str]) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise ImportFileError(f"{path.name}: no header row ({exc})") from None
    names = [h.strip().lower() for h in header]
    missing = [f for f in required if f not in names]
    if missing:
        raise ImportFileError(f"{path.name}: the header has no column {', '.join(map(repr, missing))} "
                              f"(found: {', '.join(names[:20])}); see docs/import-format.md")
    dupes = sorted({n for n in names if names.count(n) > 1 and n})
    if dupes:
        raise ImportFileError(f"{path.name}: column(s) {', '.join(dupes)} appear more than once in the header")
    unknown = [n for n in names if n and n not in fields]
    if unknown:
        notes.append(f"ignored column(s) not in the import format: {', '.join(unknown)}")
    row_number = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row_number += 1
            yield row_number, None, f"not readable as CSV ({exc})"
            continue
        row_number += 1
        if not any(v.strip() for v in values):
            continue  # blank line
        if len(values) != len(names):
            yield row_number, None, (f"has {len(values)} values but the header has {len(names)} columns "
                                     f"(a stray {delimiter!r} or quote?)")
            continue
        yield row_number, {n: v for n, v in zip(names, values) if n in fields}, None


def _jsonl_rows(text: str, path: Path, fields: tuple[str, ...],
                notes: list[str]) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    if text.lstrip().startswith("["):
        raise ImportFileError(f"{path.name} is one JSON array; the format is JSON lines: one object per line")
    unknown: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"not valid JSON ({exc.msg} at column {exc.colno})"
            continue
        if not isinstance(item, dict):
            yield number, None, "not a JSON object ({...})"
            continue
        unknown.update(k for k in item if k not in fields)
        yield number, {k: v for k, v in item.items() if k in fields}, None
    if unknown:
        notes.append(f"ignored field(s) not in the import format: {', '.join(sorted(unknown))}")


# ---------------------------------------------------------------------------
# field parsers (each returns a value or raises _FieldError)


class _FieldError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _text(record: dict[str, Any], name: str) -> str:
    """A field as stripped text ('' when absent); numbers become text, lists/objects are an error."""
    value = record.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or isinstance(value, (list, dict)):
        raise _FieldError("not_text", f"{name} must be text or a number, got {type(value).__name__}")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _short(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$"), ("d", "m", "y")),
)


def parse_date(value: str) -> dt.date:
    """A date: ISO ``2026-10-01`` (a time part is ignored) or Danish day-first ``01-10-2026`` / ``1.10.2026``."""
    text = value.strip()
    if "T" in text or " " in text:
        text = re.split(r"[T ]", text, maxsplit=1)[0]
    for pattern, order in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            parts = dict(zip(order, map(int, m.groups())))
            try:
                date = dt.date(parts["y"], parts["m"], parts["d"])
            except ValueError as exc:
                raise _FieldError("bad_date", f"{value!r} is not a real date ({exc})") from None
            if not DATE_RANGE[0] <= date <= DATE_RANGE[1]:
                raise _FieldError("bad_date", f"{value!r} is outside {DATE_RANGE[0]:%Y}-{DATE_RANGE[1]:%Y}")
            return date
    raise _FieldError("bad_date_format", f"{_short(value)!r} is not a date; use YYYY-MM-DD (or DD-MM-YYYY)")


def parse_timestamp(value: str) -> dt.datetime:
    """A point in time: ISO 8601 (with or without time and time zone) or ``DD-MM-YYYY HH:MM``.

    Times with a zone are converted to Danish local time; all are returned
    without zone (as the demo world stores them).
    """
    text = value.strip()
    m = re.match(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$", text)
    if m:
        d, mo, y, h, mi, s = m.groups()
        try:
            return dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
        except ValueError as exc:
            raise _FieldError("bad_timestamp", f"{value!r} is not a real time ({exc})") from None
    try:
        stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise _FieldError("bad_timestamp_format", f"{_short(value)!r} is not a timestamp; "
                          "use ISO 8601, e.g. 2026-10-01T09:30:00") from None
    if stamp.tzinfo is not None:
        from zoneinfo import ZoneInfo

        stamp = stamp.astimezone(ZoneInfo("Europe/Copenhagen")).replace(tzinfo=None)
    return stamp


def parse_postcode(value: str, known: frozenset[int]) -> int:
    m = re.match(r"^(?:DK-?)?\s*(\d{4})\b", value.strip(), re.IGNORECASE)
    if not m:
        raise _FieldError("bad_postcode", f"{_short(value)!r} is not a four-digit postcode")
    code = int(m.group(1))
    if code not in known:
        raise _FieldError("unknown_postcode", f"{code} is not a Danish postcode in jobmatch's table")
    return code


def parse_hours(hours: str, weekly: str) -> tuple[str, int, str | None]:
    """(``'full'``/``'part'``, weekly hours, warning or None) from the hours and weekly_hours fields."""
    word = hours.strip().lower()
    number: float | None = None
    for source in (weekly, hours):
        m = re.match(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:-\s*(\d+(?:[.,]\d+)?))?\s*(?:t|timer|hours|h)?\s*$", source)
        if m and source.strip():
            lo = float(m.group(1).replace(",", "."))
            hi = float(m.group(2).replace(",", ".")) if m.group(2) else lo
            number = (lo + hi) / 2
            break
    if number is not None:
        if not 1 <= number <= 60:
            raise _FieldError("bad_hours", f"{number:g} hours a week is not plausible (1-60)")
        kind = "full" if number >= FULL_TIME_FROM else "part"
        if word in ("full", "fuldtid", "fuld tid", "full-time", "full time") and kind == "part":
            return "part", round(number), f"says full time but {number:g} hours a week; stored as part time"
        return kind, round(number), None
    if word in ("full", "fuldtid", "fuld tid", "full-time", "full time"):
        return "full", FULL_TIME_HOURS, None
    if word in ("part", "deltid", "del tid", "part-time", "part time"):
        return "part", PART_TIME_DEFAULT_HOURS, (f"part time without weekly hours; assumed "
                                                 f"{PART_TIME_DEFAULT_HOURS} hours")
    if not word:
        raise _FieldError("missing", "hours is missing (full, part or weekly hours)")
    raise _FieldError("bad_hours", f"{_short(hours)!r} is not full, part or a number of weekly hours")


def clean_description(value: str) -> str:
    """Plain text from a description that may hold HTML (tags removed, entities decoded)."""
    text = html.unescape(_TAG_RE.sub(" ", value.replace("<br>", "\n").replace("<br/>", "\n")
                                     .replace("</p>", "\n")))
    lines = [_SPACE_RE.sub(" ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# ---------------------------------------------------------------------------
# occupations: ISCO code, taxonomy id or title → taxonomy occupation

_TITLE_ENDINGS = ("erne", "ene", "ens", "ers", "er", "en", "et", "e", "r", "s", "n")
_WORD_RE = re.compile(r"[0-9a-zæøåäöüé]+")


def _norm(text: str) -> str:
    return " ".join(_WORD_RE.findall(text.lower()))


@dataclass(frozen=True)
class OccupationMatch:
    occupation_id: str
    isco: str
    industry: str
    how: str  # occupation_id | isco | isco+title | title | title_words | title_compound | unknown


class OccupationResolver:
    """Maps what a posting says about its occupation onto the taxonomy (see docs/import-format.md)."""

    def __init__(self, occupations: pd.DataFrame) -> None:
        from jobmatch.taxonomy import split_multi

        self.ids = {str(o): (str(i), str(ind)) for o, i, ind in
                    zip(occupations["occupation_id"], occupations["isco"], occupations["industry"])}
        self.by_isco: dict[str, list[str]] = {}
        for occ, isco in zip(occupations["occupation_id"], occupations["isco"]):
            self.by_isco.setdefault(str(isco), []).append(str(occ))
        self.terms: dict[str, str] = {}
        for row in occupations.itertuples(index=False):
            names = [row.title_da, row.title_en, *split_multi(row.alt_titles_da), *split_multi(row.alt_titles_en)]
            for name in names:
                for variant in (name, re.sub(r"\([^)]*\)", " ", str(name))):
                    key = _norm(str(variant))
                    if key and key not in self.terms:
                        self.terms[key] = str(row.occupation_id)
        self.max_words = max((len(k.split()) for k in self.terms), default=1)

    def _variants(self, token: str) -> list[str]:
        out = [token]
        out += [token[: -len(e)] for e in _TITLE_ENDINGS if token.endswith(e) and len(token) - len(e) >= 3]
        return out

    def match_title(self, title: str, among: set[str] | None = None) -> tuple[str, str] | None:
        """(occupation_id, how) for a job title, or None. ``among`` limits the candidates."""
        def ok(occ: str | None) -> bool:
            return occ is not None and (among is None or occ in among)

        whole = _norm(title)
        if ok(self.terms.get(whole)):
            return self.terms[whole], "title"
        for part in re.split(r"\s[-–—/|]\s|,|\(|\)|:|\stil\s|\sto\s|\sfor\s", title):
            key = _norm(part)
            if key and ok(self.terms.get(key)):
                return self.terms[key], "title"
        tokens = whole.split()
        best: tuple[int, str] | None = None
        for i in range(len(tokens)):
            for k in range(min(self.max_words, len(tokens) - i), 0, -1):
                head = " ".join(tokens[i:i + k - 1])
                for last in self._variants(tokens[i + k - 1]):
                    key = f"{head} {last}".strip()
                    occ = self.terms.get(key)
                    if ok(occ) and (best is None or len(key) > best[0]):
                        best = (len(key), occ)
        if best:
            return best[1], "title_words"
        for token in tokens:  # compound heads: "hjemmesygeplejerske" → "sygeplejerske"
            for j in range(1, len(token) - 5):
                for tail in self._variants(token[j:]):
                    occ = self.terms.get(tail)
                    if len(tail) >= 6 and ok(occ) and (best is None or len(tail) > best[0]):
                        best = (len(tail), occ)
        return (best[1], "title_compound") if best else None

    def resolve(self, occupation: str, isco: str, title: str) -> OccupationMatch:
        occupation, isco = occupation.strip(), isco.strip()
        if occupation in self.ids:
            i, ind = self.ids[occupation]
            return OccupationMatch(occupation, i, ind, "occupation_id")
        code = isco or (occupation if re.fullmatch(r"\d{4}(\d{2})?", occupation) else "")
        if code:
            if not re.fullmatch(r"\d{4}(\d{2})?", code):
                raise _FieldError("bad_isco", f"{_short(code)!r} is not an ISCO-08 / DISCO-08 code (4 or 6 digits)")
            code = code[:4]
            candidates = self.by_isco.get(code, [])
            if candidates:
                hit = self.match_title(title, set(candidates))
                occ = hit[0] if hit else candidates[0]
                i, ind = self.ids[occ]
                return OccupationMatch(occ, i, ind, "isco+title" if hit else "isco")
            return OccupationMatch("", code, "", "isco_only")
        hit = None
        if occupation:
            hit = self.match_title(occupation)
        hit = hit or self.match_title(title)
        if hit:
            i, ind = self.ids[hit[0]]
            return OccupationMatch(hit[0], i, ind, hit[1])
        return OccupationMatch("", "", "", "unknown")


@lru_cache(maxsize=4)
def _resolver(taxonomy_folder: str) -> OccupationResolver:
    from jobmatch.taxonomy import load_taxonomy

    return OccupationResolver(load_taxonomy(Path(taxonomy_folder)).occupations)


def occupation_resolver() -> OccupationResolver:
    return _resolver(str(config.taxonomy_dir()))


@lru_cache(maxsize=1)
def _postcode_table() -> tuple[frozenset[int], dict[int, int]]:
    from jobmatch import geo

    table = geo.load_postcodes()
    codes = table["postcode"].astype(int).tolist()
    return frozenset(codes), dict(zip(codes, table["municipality_code"].astype(int).tolist()))


def _detect_lang(text: str) -> str:
    try:
        from jobmatch.textnorm import detect_language
    except ImportError:  # pragma: no cover - textnorm is part of the package
        return "da"
    return detect_language(text, default="da")


# ---------------------------------------------------------------------------
# postings


def _posting_row(number: int, rec: dict[str, Any], as_of: dt.date, seen: dict[str, int],
                 strict_occupation: bool, report: ImportReport) -> dict[str, Any] | None:
    """Check one postings record; return the table row or None (issues are added to *report*)."""
    errors: list[Issue] = []
    warnings: list[Issue] = []

    def err(name: str, code: str, message: str) -> None:
        errors.append(Issue(number, name, code, message))

    def get(name: str) -> str:
        try:
            return _text(rec, name)
        except _FieldError as exc:
            err(name, exc.code, exc.message)
            return ""

    values = {name: get(name) for name in POSTING_FIELDS}
    out: dict[str, Any] = {}

    pid = values["posting_id"]
    if not pid:
        err("posting_id", "missing", "posting_id is missing")
    elif len(pid) > MAX_ID or not _ID_RE.match(pid):
        err("posting_id", "bad_id", f"{_short(pid)!r} is not a valid id (letters, digits, . _ : / -; "
                                    f"at most {MAX_ID} characters)")
    elif pid in seen:
        err("posting_id", "duplicate_id", f"{pid} appears again (first on row {seen[pid]})")
    else:
        seen[pid] = number
    out["posting_id"] = pid

    title = _SPACE_RE.sub(" ", values["title"])
    if not title:
        err("title", "missing", "title is missing")
    elif len(title) > MAX_TITLE:
        err("title", "too_long", f"title has {len(title)} characters (at most {MAX_TITLE})")
    elif len(title) < 2:
        err("title", "too_short", "title is shorter than 2 characters")
    out["title"] = title

    description = clean_description(values["description"])
    if not description:
        err("description", "missing", "description is missing")
    elif len(description) < MIN_DESCRIPTION:
        err("description", "too_short", f"description has {len(description)} characters "
                                         f"(at least {MIN_DESCRIPTION})")
    elif len(description) > MAX_DESCRIPTION:
        err("description", "too_long", f"description has {len(description)} characters "
                                        f"(at most {MAX_DESCRIPTION})")
    out["description"] = description

    employer = _SPACE_RE.sub(" ", values["employer"])
    if not employer:
        err("employer", "missing", "employer is missing")
    elif len(employer) > MAX_TITLE:
        err("employer", "too_long", f"employer has {len(employer)} characters (at most {MAX_TITLE})")
    out["employer"] = employer
    out["address"] = _SPACE_RE.sub(" ", values["address"])[:300]

    known, municipality_of = _postcode_table()
    postcode_text = values["postcode"]
    if not postcode_text and values["address"]:
        m = re.search(r"\b(\d{4})\s+[A-Za-zÆØÅæøå]", values["address"])
        if m:
            postcode_text = m.group(1)
            warnings.append(Issue(number, "postcode", "from_address",
                                  f"postcode {postcode_text} taken from the address"))
    if not postcode_text:
        err("postcode", "missing", "postcode is missing (the workplace's four-digit postcode)")
    else:
        try:
            out["postcode"] = parse_postcode(postcode_text, known)
            out["municipality_code"] = municipality_of[out["postcode"]]
        except _FieldError as exc:
            err("postcode", exc.code, exc.message)

    try:
        out["hours"], out["weekly_hours"], note = parse_hours(values["hours"], values["weekly_hours"])
        if note:
            warnings.append(Issue(number, "hours", "assumed", note))
    except _FieldError as exc:
        err("hours", exc.code, exc.message)

    posted = deadline = None
    if not values["posted_date"]:
        err("posted_date", "missing", "posted_date is missing")
    else:
        try:
            posted = parse_date(values["posted_date"])
        except _FieldError as exc:
            err("posted_date", exc.code, exc.message)
    text_deadline = values["deadline"]
    if text_deadline.lower() in ("", "snarest", "asap", "løbende", "hurtigst muligt"):
        if posted is not None:
            deadline = posted + dt.timedelta(days=DEFAULT_OPEN_DAYS)
            warnings.append(Issue(number, "deadline", "assumed",
                                  f"no deadline ({text_deadline or 'empty'}); assumed {DEFAULT_OPEN_DAYS} days "
                                  f"after posted_date: {deadline.isoformat()}"))
    else:
        try:
            deadline = parse_date(text_deadline)
        except _FieldError as exc:
            err("deadline", exc.code, exc.message)
    if posted and deadline and deadline < posted:
        err("deadline", "before_posted", f"deadline {deadline} is before posted_date {posted}")
    if posted and posted > as_of + dt.timedelta(days=1):
        warnings.append(Issue(number, "posted_date", "future", f"posted_date {posted} is after {as_of}"))

    lang = values["lang"].lower()
    if lang and lang not in ("da", "en"):
        err("lang", "unsupported", f"language {_short(lang)!r} is not supported (da or en)")
    out["lang"] = lang or (_detect_lang(title + "\n" + description) if description else "da")

    url = values["url"]
    if url and not _URL_RE.match(url):
        warnings.append(Issue(number, "url", "bad_url", f"{_short(url)!r} is not an http(s) address; left out"))
        url = ""
    out["url"] = url

    try:
        match = occupation_resolver().resolve(values["occupation"], values["isco"], title)
    except _FieldError as exc:
        err("isco", exc.code, exc.message)
        match = OccupationMatch("", "", "", "unknown")
    if match.how == "unknown" and strict_occupation:
        err("occupation", "unknown_occupation", "occupation not found in the taxonomy (by id, ISCO code or title)")
    elif match.how == "unknown":
        warnings.append(Issue(number, "occupation", "unknown_occupation",
                              "occupation not found in the taxonomy; kept with occupation unknown "
                              "(matched on text only)"))
    elif match.how == "isco_only":
        warnings.append(Issue(number, "occupation", "isco_not_in_taxonomy",
                              f"ISCO {match.isco} has no occupation in the taxonomy; kept with the ISCO code only"))
    out["occupation_id"], out["isco"], out["industry"] = match.occupation_id, match.isco, match.industry

    if errors:
        report.errors.extend(errors)
        report.rejected += 1
        if pid and seen.get(pid) == number:
            del seen[pid]  # a rejected row does not block a later, valid row with the same id
        return None
    report.warnings.extend(warnings)
    out["posted_date"] = pd.Timestamp(posted)
    out["deadline"] = pd.Timestamp(deadline)
    out["status"] = "open" if deadline >= as_of else "closed"
    return out


def _postings_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(POSTING_COLUMNS))
    for col in ("postcode", "municipality_code", "weekly_hours"):
        frame[col] = frame[col].astype(np.int64)
    for col in ("posted_date", "deadline"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ms]")
    for col in POSTING_COLUMNS:
        if col not in ("postcode", "municipality_code", "weekly_hours", "posted_date", "deadline"):
            frame[col] = frame[col].fillna("").astype(str)
    return frame


def import_postings(path: Path | str, *, out: Path | None = None, fmt: str | None = None,
                    as_of: dt.date | None = None, replace: bool = False, dry_run: bool = False,
                    strict_occupation: bool = False) -> ImportReport:
    """Validate a postings file and write the accepted rows into the world folder *out*.

    ``as_of`` (default today) decides which postings are open (deadline on or
    after it). Raises :class:`ImportFileError` for a file that cannot be read
    at all; everything else is in the returned report.
    """
    path = Path(path)
    fmt = detect_format(path, fmt)
    as_of = as_of or dt.date.today()
    report = ImportReport(table="postings", file=str(path), format=fmt, dry_run=dry_run)
    seen: dict[str, int] = {}
    rows: list[dict[str, Any]] = []
    for number, rec, problem in read_rows(path, fmt, POSTING_FIELDS, POSTING_REQUIRED, report.notes):
        report.rows += 1
        if rec is None:
            report.errors.append(Issue(number, "-", "unreadable", f"row {problem}"))
            report.rejected += 1
            continue
        row = _posting_row(number, rec, as_of, seen, strict_occupation, report)
        if row is not None:
            rows.append(row)
    report.accepted = len(rows)
    if not rows or dry_run:
        return report
    new = _postings_frame(rows)
    folder = Path(out) if out is not None else config.world_dir()
    existing = _existing(folder)
    sources = existing.sources
    if existing.tables.get("postings") is not None and sources.get("postings") == "import" and not replace:
        old = existing.tables["postings"]
        kept = old[~old["posting_id"].isin(new["posting_id"])]
        updated = int(old["posting_id"].isin(new["posting_id"]).sum())
        merged = pd.concat([_conform_postings(kept), new], ignore_index=True)
        report.notes.append(f"merged with {len(old)} earlier imported postings ({updated} updated)")
    else:
        merged = new
        if existing.tables.get("postings") is not None:
            what = "simulated" if sources.get("postings") != "import" else "earlier imported"
            report.notes.append(f"replaced {len(existing.tables['postings'])} {what} postings")
        interactions = existing.tables.get("interactions")
        if interactions is not None and len(interactions) and sources.get("interactions") != "import":
            report.notes.append(f"kept {len(interactions)} simulated interactions; they refer to the replaced "
                                "postings until you import your own (python -m jobmatch import interactions)")
    report.table_rows_after = len(merged)
    tables = dict(existing.tables)
    tables["postings"] = merged
    sources["postings"] = "import"
    _write_world(folder, tables, sources, existing.manifest, report, path, as_of)
    return report


def _conform_postings(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in ("address", "url"):
        if col not in out:
            out[col] = ""
    return out[list(POSTING_COLUMNS)]


# ---------------------------------------------------------------------------
# interactions


def import_interactions(path: Path | str, *, out: Path | None = None, fmt: str | None = None,
                        as_of: dt.date | None = None, dry_run: bool = False) -> ImportReport:
    """Validate an interaction log and append the accepted rows to the world folder *out*.

    Every ``posting_id`` must be a posting in that world (import postings
    first). Citizen ids must be pseudonyms: a CPR number is rejected.
    """
    path = Path(path)
    fmt = detect_format(path, fmt)
    as_of = as_of or dt.date.today()
    report = ImportReport(table="interactions", file=str(path), format=fmt, dry_run=dry_run)
    folder = Path(out) if out is not None else config.world_dir()
    existing = _existing(folder)
    postings = existing.tables.get("postings")
    if postings is None:
        raise ImportFileError(f"no postings in {folder}; import postings first (python -m jobmatch import postings)")
    known_postings = set(postings["posting_id"].astype(str))
    old = existing.tables.get("interactions")
    keep_old = old is not None and existing.sources.get("interactions") == "import"
    old_keys = set()
    if keep_old and len(old):
        old_keys = set(zip(old["citizen_id"].astype(str), old["posting_id"].astype(str), old["event"].astype(str),
                           pd.to_datetime(old["timestamp"]).dt.strftime("%Y-%m-%dT%H:%M:%S")))
    limit = dt.datetime.combine(as_of, dt.time()) + dt.timedelta(days=1)
    seen: dict[tuple, int] = {}
    rows: list[tuple] = []
    for number, rec, problem in read_rows(path, fmt, INTERACTION_FIELDS, INTERACTION_FIELDS, report.notes):
        report.rows += 1
        if rec is None:
            report.errors.append(Issue(number, "-", "unreadable", f"row {problem}"))
            report.rejected += 1
            continue
        errors: list[Issue] = []
        values: dict[str, str] = {}
        for name in INTERACTION_FIELDS:
            try:
                values[name] = _text(rec, name)
            except _FieldError as exc:
                errors.append(Issue(number, name, exc.code, exc.message))
                values[name] = ""
        cid, pid = values["citizen_id"], values["posting_id"]
        # citizen ids are never echoed: they may be personal data
        if not cid:
            errors.append(Issue(number, "citizen_id", "missing", "citizen_id is missing"))
        elif _CPR_RE.match(cid):
            errors.append(Issue(number, "citizen_id", "looks_like_cpr",
                                "citizen_id looks like a CPR number; use a pseudonym (see docs/import-format.md)"))
        elif len(cid) > MAX_ID or not _ID_RE.match(cid):
            errors.append(Issue(number, "citizen_id", "bad_id",
                                f"citizen_id is not a valid id (letters, digits, . _ : / -; at most {MAX_ID})"))
        if not pid:
            errors.append(Issue(number, "posting_id", "missing", "posting_id is missing"))
        elif pid not in known_postings:
            errors.append(Issue(number, "posting_id", "unknown_posting",
                                f"posting {_short(pid)} is not in the imported postings"))
        event = EVENTS.get(values["event"].lower())
        if not values["event"]:
            errors.append(Issue(number, "event", "missing", "event is missing"))
        elif event is None:
            errors.append(Issue(number, "event", "unknown_event",
                                f"{_short(values['event'])!r} is not an event; use shown, applied, interview or hired"))
        stamp = None
        if not values["timestamp"]:
            errors.append(Issue(number, "timestamp", "missing", "timestamp is missing"))
        else:
            try:
                stamp = parse_timestamp(values["timestamp"])
                if stamp >= limit:
                    errors.append(Issue(number, "timestamp", "future", f"{stamp:%Y-%m-%d %H:%M} is after {as_of}"))
                elif stamp.date() < DATE_RANGE[0]:
                    errors.append(Issue(number, "timestamp", "bad_timestamp", f"{stamp:%Y-%m-%d} is before 2000"))
            except _FieldError as exc:
                errors.append(Issue(number, "timestamp", exc.code, exc.message))
        if not errors:
            key = (cid, pid, event, stamp.strftime("%Y-%m-%dT%H:%M:%S"))
            if key in seen:
                errors.append(Issue(number, "-", "duplicate_row", f"same as row {seen[key]}"))
            elif key in old_keys:
                errors.append(Issue(number, "-", "already_imported", "this interaction is already in the world"))
            else:
                seen[key] = number
        if errors:
            report.errors.extend(errors)
            report.rejected += 1
            continue
        rows.append((cid, pid, event, stamp))
    report.accepted = len(rows)
    if not rows or dry_run:
        return report
    new = pd.DataFrame(rows, columns=list(INTERACTION_COLUMNS))
    new["timestamp"] = pd.to_datetime(new["timestamp"]).astype("datetime64[ms]")
    for col in ("citizen_id", "posting_id", "event"):
        new[col] = new[col].astype(str)
    if keep_old:
        merged = pd.concat([old[list(INTERACTION_COLUMNS)], new], ignore_index=True)
        report.notes.append(f"appended to {len(old)} earlier imported interactions")
    else:
        merged = new
        if old is not None and len(old):
            report.notes.append(f"replaced {len(old)} simulated interactions")
    merged = merged.sort_values("timestamp", kind="stable").reset_index(drop=True)
    report.table_rows_after = len(merged)
    tables = dict(existing.tables)
    tables["interactions"] = merged
    sources = existing.sources
    sources["interactions"] = "import"
    _write_world(folder, tables, sources, existing.manifest, report, path, as_of)
    return report


# ---------------------------------------------------------------------------
# the world folder


@dataclass
class _World:
    tables: dict[str, pd.DataFrame | None]
    sources: dict[str, str]
    manifest: dict[str, Any]


def _existing(folder: Path) -> _World:
    from jobmatch.world import TABLES

    manifest: dict[str, Any] = {}
    path = folder / "manifest.json"
    if path.exists():
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ImportFileError(f"{path} cannot be read ({exc}); fix or remove it first") from None
    tables: dict[str, pd.DataFrame | None] = {}
    for name in TABLES:
        file = folder / f"{name}.parquet"
        tables[name] = pd.read_parquet(file) if file.exists() else None
    default = "demo" if manifest.get("simulated", False) else "unknown"
    sources = {name: manifest.get("sources", {}).get(name, default if tables[name] is not None else "empty")
               for name in TABLES}
    return _World(tables=tables, sources=sources, manifest=manifest)


def _empty(name: str) -> pd.DataFrame:
    if name == "postings":
        return _postings_frame([])
    if name == "interactions":
        frame = pd.DataFrame({c: pd.Series(dtype=str) for c in INTERACTION_COLUMNS})
        frame["timestamp"] = frame["timestamp"].astype("datetime64[ms]")
        return frame
    if name == "citizens":
        frame = pd.DataFrame({c: pd.Series(dtype=str) for c in CITIZEN_COLUMNS})
        return frame.astype({"home_postcode": np.int64, "municipality_code": np.int64, "max_minutes": np.int64})
    return pd.DataFrame({c: pd.Series(dtype=str) for c in AUDIT_COLUMNS})


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _write_world(folder: Path, tables: dict[str, pd.DataFrame | None], sources: dict[str, str],
                 manifest: dict[str, Any], report: ImportReport, source_file: Path, as_of: dt.date) -> None:
    """Write all tables and a new manifest into *folder*, replacing it in one rename.

    Only the four tables and the manifest are written: the demo simulator's
    private files do not describe imported data and are left behind.
    """
    from jobmatch.world import TABLES, frame_hash

    full = {name: (tables.get(name) if tables.get(name) is not None else _empty(name)) for name in TABLES}
    h = hashlib.sha256()
    for name in sorted(full):
        h.update(name.encode())
        h.update(frame_hash(full[name]).encode())
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    imports = list(manifest.get("imports", []))
    imports.append({"table": report.table, "file": source_file.name, "sha256": file_sha256(source_file),
                    "imported_at": now, "as_of": as_of.isoformat(), "rows": report.rows,
                    "accepted": report.accepted, "rejected": report.rejected})
    info = dict(manifest)
    # keep the demo generator's keys (seed, size, reference_date, ...) so that
    # `data build` recognises the folder and does not rebuild over imported data
    info.setdefault("seed", config.seed())
    info.setdefault("reference_date", as_of.isoformat())
    info.update({
        "data_version": h.hexdigest()[:16],
        "simulated": False,
        "sources": {name: sources.get(name, "empty") if tables.get(name) is not None else "empty"
                    for name in TABLES},
        "counts": {name: int(len(df)) for name, df in full.items()},
        "updated_at": now,
        "imports": imports,
    })
    folder = folder.resolve()
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = folder.with_name(folder.name + ".import-tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    for name, df in full.items():
        df.to_parquet(tmp / f"{name}.parquet", index=False)
    (tmp / "manifest.json").write_text(json.dumps(info, indent=2, ensure_ascii=False), encoding="utf-8")
    old = folder.with_name(folder.name + ".import-old")
    if old.exists():
        shutil.rmtree(old)
    if folder.exists():
        folder.rename(old)
    tmp.rename(folder)
    if old.exists():
        shutil.rmtree(old)
    report.written_to = str(folder)
