"""The audit trail: what the tool showed, and what the consultant did about it.

Record-keeping in the spirit of the EU AI Act, article 12: every ranking shown
records the time, pseudonymous consultant and citizen ids, the model and data
versions, the search settings, the ids and scores of the suggestions and the
reasons shown; every consultant action (hide, pin, not relevant, reorder, add
a job by hand, feedback with reason) is recorded too. **CV text never enters
the trail**: payloads are checked (:func:`check_payload`) and refused when
they carry a CV-like key (``cv_text``, ``text``, …) or any string longer
than :data:`MAX_STRING` characters.

Append-only, hash-chained
    Each record has a sequence number ``seq`` (1, 2, 3, …) and
    ``hash = sha256(canonical JSON of {seq, ts, kind, municipality, payload,
    prev_hash})`` where ``prev_hash`` is the previous record's hash (64 zeros
    for the first). :meth:`AuditLog.verify` recomputes the chain and names the
    first record that was changed, removed or reordered. The ``head`` row of
    ``audit_anchor`` remembers the last record appended, so removing records
    at the end is detected as well.

    Appends are serialised (SQLite ``BEGIN IMMEDIATE``, PostgreSQL advisory
    lock; :func:`jobmatch.db.run_serialised`) so concurrent writers in several
    processes never fork the chain, and a consultant action and its audit
    record are written in one transaction — both or neither.

Retention
    :meth:`AuditLog.purge_older_than` deletes the oldest records (and consultant
    actions and feedback of the same age) and stores the last deleted record's
    seq and hash as the ``purge`` anchor; verification starts from it, so the
    remaining chain stays verifiable. The purge itself is recorded.

Pseudonyms
    :func:`pseudonym` is HMAC-SHA256 with a deployment salt
    (``JOBMATCH_PSEUDONYM_SALT``, or a random salt generated once into
    ``<data_dir>/pseudonym_salt`` with permissions 0600). The same person gets
    the same pseudonym in one deployment, and without the salt the pseudonym
    cannot be traced back by trying candidate ids. The salt is never exported.

What this does not protect against: someone with write access to the database
who rewrites a record *and* every later record *and* the head marker. Keep the
head hash printed by ``python -m jobmatch audit verify`` outside the database
(e.g. in the operations log) to detect that too; see docs/database.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import logging
import math
import os
import re
import secrets
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from jobmatch import config
from jobmatch.db import run_serialised
from jobmatch.dbmodels import (
    ACTIONS,
    POSTING_ID_LEN,
    REASON_MAX,
    AuditAnchor,
    AuditRecord,
    ConsultantAction,
    Feedback,
)

log = logging.getLogger(__name__)

#: ``prev_hash`` of the first record.
GENESIS_HASH = "0" * 64

#: Longest string allowed anywhere in a payload (characters). CV text is longer; reasons are shorter.
MAX_STRING = REASON_MAX

#: Longest canonical JSON payload (characters) — a ranking of 50 suggestions fits easily.
MAX_PAYLOAD_CHARS = 200_000

#: Payload keys that would carry CV or other free text; refused anywhere in a payload.
FORBIDDEN_KEYS = frozenset({"cv", "cv_text", "text", "raw_text", "full_text", "resume", "content", "body",
                            "document", "file", "file_bytes"})

#: Personal-data categories of :func:`jobmatch.pii.redact` masked in free-text reasons.
_MASKED_IN_REASONS = frozenset({"cpr", "email", "phone", "url"})

_KIND_RE = re.compile(r"[a-z][a-z_]{0,31}")
_SALT_FILE = "pseudonym_salt"
_MIN_SALT_CHARS = 16


class AuditPayloadError(ValueError):
    """A payload the audit trail refuses (CV-like key, long text, a type JSON cannot hold)."""


class PseudonymSaltError(RuntimeError):
    """The pseudonym salt is missing, too short or unreadable."""


class AuditChainBroken(RuntimeError):
    """An operation was refused because the chain does not verify (see ``result``)."""

    def __init__(self, result: VerifyResult) -> None:
        super().__init__(f"the audit chain is broken at record {result.first_bad_seq}: {result.reason}")
        self.result = result


# ---------------------------------------------------------------------------
# pseudonyms


_salt_cache: dict[Path, bytes] = {}


def salt_path() -> Path:
    """Where the generated salt lives when ``JOBMATCH_PSEUDONYM_SALT`` is not set."""
    return config.data_dir() / _SALT_FILE


def _create_salt_file(path: Path) -> None:
    """Write a random salt to ``path`` (0600) unless another process got there first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # atomic, and never replaces a salt another process wrote
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)


def _salt() -> bytes:
    value = os.environ.get("JOBMATCH_PSEUDONYM_SALT", "").strip()
    if value:
        if len(value) < _MIN_SALT_CHARS:
            raise PseudonymSaltError(f"JOBMATCH_PSEUDONYM_SALT must be at least {_MIN_SALT_CHARS} characters")
        return value.encode("utf-8")
    path = salt_path()
    cached = _salt_cache.get(path)
    if cached is not None:
        return cached
    try:
        if not path.exists():
            _create_salt_file(path)
        value = path.read_text(encoding="ascii").strip()
        mode = path.stat().st_mode
    except (OSError, UnicodeDecodeError) as exc:
        raise PseudonymSaltError(f"Cannot read or create the pseudonym salt {path}: {exc}") from None
    if len(value) < _MIN_SALT_CHARS:
        raise PseudonymSaltError(f"The pseudonym salt {path} is empty or too short; restore it from backup")
    if mode & 0o077:
        log.warning("The pseudonym salt %s is readable by other users; run: chmod 600 %s", path, path)
    salt = value.encode("ascii")
    _salt_cache[path] = salt
    return salt


def pseudonym(kind: str, raw_id: str | int) -> str:
    """Salted pseudonym (64 hex characters) of a person's id, e.g. ``pseudonym("citizen", "C00042")``.

    ``kind`` ("consultant", "citizen", …) is part of the hash, so the same id
    in two roles gives two unrelated pseudonyms.
    """
    if not isinstance(kind, str) or not _KIND_RE.fullmatch(kind):
        raise ValueError(f"pseudonym kind must be a short lower-case word, got {kind!r}")
    raw = str(raw_id).strip() if raw_id is not None else ""
    if not raw:
        raise ValueError(f"cannot make a pseudonym of an empty {kind} id")
    return hmac.new(_salt(), f"{kind}\x1f{raw}".encode(), hashlib.sha256).hexdigest()


# ---------------------------------------------------------------------------
# payloads and hashes


def canonical_json(obj: Any) -> str:
    """The one JSON text of ``obj`` that is hashed: sorted keys, no spaces, UTF-8, no NaN."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def record_hash(seq: int, ts: str, kind: str, municipality: int | None, payload: Any, prev_hash: str) -> str:
    """sha256 (hex) of the canonical JSON of a record's content and its predecessor's hash."""
    doc = {"seq": seq, "ts": ts, "kind": kind, "municipality": municipality, "payload": payload,
           "prev_hash": prev_hash}
    return hashlib.sha256(canonical_json(doc).encode("utf-8")).hexdigest()


def _forbidden_key(key: str) -> bool:
    lowered = key.lower()
    return lowered in FORBIDDEN_KEYS or lowered.startswith("cv_") or lowered.endswith("_text")


def check_payload(obj: Any, where: str = "payload") -> Any:
    """A JSON-ready copy of ``obj``, or :class:`AuditPayloadError` if the trail must not store it.

    Refused: keys that would carry CV text (:data:`FORBIDDEN_KEYS`, ``cv_*``,
    ``*_text``), strings longer than :data:`MAX_STRING` characters, NaN and
    infinities, and types JSON cannot hold. NumPy numbers become Python
    numbers; tuples become lists.
    """
    if obj is None or isinstance(obj, bool):
        return obj
    if isinstance(obj, str):
        if len(obj) > MAX_STRING:
            raise AuditPayloadError(
                f"{where} is a text of {len(obj)} characters; the audit trail keeps at most {MAX_STRING} "
                "(it stores reasons and ids, never CV text)")
        return obj
    if isinstance(obj, Mapping):
        out: dict[str, Any] = {}
        for key, value in obj.items():
            if not isinstance(key, str):
                raise AuditPayloadError(f"{where} has a non-text key {key!r}")
            if _forbidden_key(key):
                raise AuditPayloadError(f"{where}.{key}: the audit trail never stores CV text or free text fields")
            out[key] = check_payload(value, f"{where}.{key}")
        return out
    if isinstance(obj, (list, tuple)):
        return [check_payload(value, f"{where}[{i}]") for i, value in enumerate(obj)]
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float) or hasattr(obj, "dtype"):  # Python or NumPy number
        try:
            number = obj.item() if hasattr(obj, "item") else obj
        except (ValueError, AttributeError):
            raise AuditPayloadError(f"{where} is not a single number") from None
        if isinstance(number, bool):
            return number
        if isinstance(number, int):
            return number
        if isinstance(number, float):
            if not math.isfinite(number):
                raise AuditPayloadError(f"{where} is not a finite number")
            return number
    raise AuditPayloadError(f"{where} has a value of type {type(obj).__name__} the audit trail cannot store")


def clean_reason(value: str | None, where: str = "reason") -> str | None:
    """A consultant's free-text reason, checked and with CPR numbers, e-mails, phones and links masked.

    Empty → None; longer than :data:`MAX_STRING` characters → :class:`AuditPayloadError`.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise AuditPayloadError(f"{where} must be text")
    value = value.strip()
    if not value:
        return None
    if len(value) > MAX_STRING:
        raise AuditPayloadError(f"{where} is longer than {MAX_STRING} characters; write a short reason")
    from jobmatch.pii import redact

    result = redact(value)
    spans = [(s, e) for s, e, category in result.spans if category in _MASKED_IN_REASONS]
    if not spans:
        return value
    chars = list(value)
    for start, end in spans:  # same-length masks: offsets stay valid
        chars[start:end] = result.text[start:end]
    return "".join(chars)


def _short_id(value: Any, where: str, *, required: bool = True, max_len: int = POSTING_ID_LEN) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise AuditPayloadError(f"{where} is required")
        return None
    text = str(value).strip()
    if len(text) > max_len:
        raise AuditPayloadError(f"{where} is longer than {max_len} characters")
    return text


def _rank(value: Any, where: str) -> int | None:
    if value is None:
        return None
    try:
        rank = int(value)
    except (TypeError, ValueError):
        raise AuditPayloadError(f"{where} must be a whole number") from None
    if rank < 1 or rank != value:
        raise AuditPayloadError(f"{where} must be a position 1, 2, 3, …")
    return rank


def _as_mapping(obj: Any, where: str) -> Mapping[str, Any]:
    if obj is None:
        return {}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    if isinstance(obj, Mapping):
        return obj
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    raise AuditPayloadError(f"{where} must be a mapping or a dataclass")


def _format_ts(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


# ---------------------------------------------------------------------------
# results


@dataclass(frozen=True)
class Appended:
    """Where a record landed in the chain."""

    seq: int
    hash: str
    ts: str


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of :meth:`AuditLog.verify`.

    ``first_bad_seq`` is the first record that is changed, missing or out of
    order (None when intact); ``checked`` counts records that verified.
    ``head_hash`` is the hash of the last record — keep it outside the
    database to detect a rewrite of the whole tail.
    """

    ok: bool
    first_bad_seq: int | None
    reason: str
    checked: int
    anchor_seq: int | None = None
    head_seq: int | None = None
    head_hash: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class PurgeResult:
    """Outcome of :meth:`AuditLog.purge_older_than`."""

    days: int
    cutoff: str
    deleted: int
    anchor_seq: int | None
    actions_deleted: int
    feedback_deleted: int

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _record_dict(row: AuditRecord) -> dict[str, Any]:
    try:
        payload: Any = json.loads(row.payload)
    except ValueError:
        payload = row.payload
    return {"seq": row.seq, "ts": row.ts, "kind": row.kind, "municipality": row.municipality,
            "payload": payload, "prev_hash": row.prev_hash, "hash": row.hash}


def _anchor_dict(row: AuditAnchor | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"seq": row.seq, "hash": row.hash, "record_ts": row.record_ts, "count": row.count}


# ---------------------------------------------------------------------------
# the log


class AuditLog:
    """The audit trail in the database behind ``session_factory``.

    ``municipality`` (a municipality code) is stamped on every record unless
    a call gives another; ``clock`` returns the current time (tests set it).
    """

    def __init__(self, session_factory: sessionmaker[Session], *, municipality: int | None = None,
                 clock: Callable[[], dt.datetime] = _utcnow) -> None:
        self.session_factory = session_factory
        self.municipality = municipality
        self.clock = clock

    # -- writing -------------------------------------------------------------

    def append(self, kind: str, payload: Mapping[str, Any], *, municipality: int | None = None) -> Appended:
        """Append one record of ``kind`` (checked with :func:`check_payload`)."""
        clean = self._checked(kind, payload)
        return run_serialised(self.session_factory,
                              lambda session: self._append_locked(session, kind, clean, municipality))

    def record_ranking(self, *, consultant_id: str, citizen_id: str, session_id: str,
                       model_version: str | None, data_version: str | None,
                       settings: Mapping[str, Any] | Any, suggestions: Sequence[Mapping[str, Any]],
                       method: str = "model", page: str | None = None,
                       municipality: int | None = None) -> Appended:
        """Record a ranking that was shown.

        ``suggestions``: in the order shown, each with ``posting_id``,
        ``score`` and ``reasons`` (the list of reason texts shown); other keys
        (title, employer, …) are ignored. ``method`` is "model" or "rule"
        (the stop switch's transparent ranking).
        """
        shown = []
        for i, item in enumerate(suggestions):
            where = f"suggestions[{i}]"
            if not isinstance(item, Mapping):
                raise AuditPayloadError(f"{where} must be a mapping with posting_id, score and reasons")
            reasons = item.get("reasons") or []
            if isinstance(reasons, str) or not isinstance(reasons, Sequence):
                raise AuditPayloadError(f"{where}.reasons must be a list of texts")
            if not all(isinstance(r, str) for r in reasons):
                raise AuditPayloadError(f"{where}.reasons must be a list of texts")
            score = item.get("score")
            try:
                score = None if score is None else round(float(score), 6)
            except (TypeError, ValueError):
                raise AuditPayloadError(f"{where}.score must be a number") from None
            shown.append({
                "rank": _rank(item.get("rank", i + 1), f"{where}.rank"),
                "posting_id": _short_id(item.get("posting_id"), f"{where}.posting_id"),
                "score": score,
                "reasons": list(reasons),
            })
        payload = {
            "consultant": pseudonym("consultant", consultant_id),
            "citizen": pseudonym("citizen", citizen_id),
            "session": _short_id(session_id, "session_id"),
            "model_version": model_version,
            "data_version": data_version,
            "method": method,
            "page": _short_id(page, "page", required=False),
            "settings": dict(_as_mapping(settings, "settings")),
            "suggestions": shown,
        }
        clean = self._checked("ranking", payload)
        return run_serialised(self.session_factory,
                              lambda session: self._append_locked(session, "ranking", clean, municipality))

    def record_action(self, *, consultant_id: str, citizen_id: str, session_id: str, action: str,
                      posting_id: str | None = None, reason: str | None = None, page: str | None = None,
                      rank_before: int | None = None, rank_after: int | None = None,
                      useful: bool | None = None, model_version: str | None = None,
                      municipality: int | None = None) -> Appended:
        """Record a consultant's action: a ``consultant_actions`` row and its audit record, in one transaction.

        ``action`` is one of :data:`jobmatch.dbmodels.ACTIONS`. ``reason`` is
        the consultant's short free text (≤ 500 characters; CPR numbers,
        e-mails, phone numbers and links are masked). ``action="feedback"``
        also stores a ``feedback`` row (``useful``: was the suggestion useful).
        """
        if action not in ACTIONS:
            raise AuditPayloadError(f"unknown action {action!r}; expected one of {', '.join(ACTIONS)}")
        posting = _short_id(posting_id, "posting_id", required=action != "feedback")
        before, after = _rank(rank_before, "rank_before"), _rank(rank_after, "rank_after")
        if action == "reorder" and (before is None or after is None):
            raise AuditPayloadError("a reorder needs rank_before and rank_after")
        if useful is not None and action != "feedback":
            raise AuditPayloadError("useful is only recorded with action='feedback'")
        text = clean_reason(reason)
        consultant, citizen = pseudonym("consultant", consultant_id), pseudonym("citizen", citizen_id)
        session_key = _short_id(session_id, "session_id")
        page_name = _short_id(page, "page", required=False)
        where = self.municipality if municipality is None else municipality
        base = {"consultant": consultant, "citizen": citizen, "session": session_key, "action": action,
                "posting_id": posting, "reason": text, "page": page_name, "rank_before": before,
                "rank_after": after}
        if action == "feedback":
            base["useful"] = useful
            base["model_version"] = model_version
        self._checked("action", base)

        def work(session: Session) -> Appended:
            row = ConsultantAction(ts=self.clock(), session_id=session_key, consultant_pseudonym=consultant,
                                   citizen_pseudonym=citizen, posting_id=posting, action=action, reason=text,
                                   page=page_name, rank_before=before, rank_after=after, municipality_code=where)
            session.add(row)
            payload = dict(base)
            if action == "feedback":
                fb = Feedback(ts=row.ts, session_id=session_key, consultant_pseudonym=consultant,
                              citizen_pseudonym=citizen, posting_id=posting, useful=useful, reason=text,
                              page=page_name, model_version=model_version, municipality_code=where)
                session.add(fb)
                session.flush()
                payload["feedback_id"] = fb.id
            session.flush()
            payload["action_id"] = row.id
            return self._append_locked(session, "action", payload, municipality)

        return run_serialised(self.session_factory, work)

    def record_feedback(self, *, consultant_id: str, citizen_id: str, session_id: str,
                        posting_id: str | None, useful: bool | None, reason: str | None = None,
                        page: str | None = None, model_version: str | None = None,
                        municipality: int | None = None) -> Appended:
        """Feedback on a suggestion (shorthand for ``record_action(action="feedback", ...)``)."""
        return self.record_action(consultant_id=consultant_id, citizen_id=citizen_id, session_id=session_id,
                                  action="feedback", posting_id=posting_id, reason=reason, page=page,
                                  useful=useful, model_version=model_version, municipality=municipality)

    def _checked(self, kind: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        if not isinstance(kind, str) or not _KIND_RE.fullmatch(kind):
            raise AuditPayloadError(f"record kind must be a short lower-case word, got {kind!r}")
        if not isinstance(payload, Mapping):
            raise AuditPayloadError("payload must be a mapping")
        clean = check_payload(payload)
        if len(canonical_json(clean)) > MAX_PAYLOAD_CHARS:
            raise AuditPayloadError(f"payload is larger than {MAX_PAYLOAD_CHARS} characters")
        return clean

    def _append_locked(self, session: Session, kind: str, payload: dict[str, Any],
                       municipality: int | None) -> Appended:
        """Append inside a serialised transaction (the caller holds the lock)."""
        payload = check_payload(payload)
        where = self.municipality if municipality is None else municipality
        head = session.get(AuditAnchor, "head")
        if head is None:
            if session.scalar(select(func.count()).select_from(AuditRecord)):
                raise RuntimeError("audit_log has records but no head marker; run: python -m jobmatch audit verify")
            seq, prev = 1, GENESIS_HASH
        else:
            seq, prev = head.seq + 1, head.hash
        ts = _format_ts(self.clock())
        digest = record_hash(seq, ts, kind, where, payload, prev)
        session.add(AuditRecord(seq=seq, ts=ts, kind=kind, municipality=where, payload=canonical_json(payload),
                                prev_hash=prev, hash=digest))
        if head is None:
            session.add(AuditAnchor(name="head", seq=seq, hash=digest, record_ts=ts, count=0,
                                    updated_at=_utcnow()))
        else:
            head.seq, head.hash, head.record_ts, head.updated_at = seq, digest, ts, _utcnow()
        session.flush()
        return Appended(seq=seq, hash=digest, ts=ts)

    # -- reading and checking ------------------------------------------------

    def _read_session(self) -> Session:
        """A session with one consistent snapshot for all its reads."""
        session = self.session_factory()
        options = {"isolation_level": "REPEATABLE READ"} if session.get_bind().dialect.name == "postgresql" else {}
        session.connection(execution_options=options)
        return session

    def verify(self, batch_size: int = 2000) -> VerifyResult:
        """Recompute the chain from the purge anchor (or the beginning) to the head marker."""
        with self._read_session() as session:
            return self._verify(session, batch_size)

    @staticmethod
    def _rows(session: Session, batch_size: int, after: int | None = None) -> Iterator[AuditRecord]:
        last: int | None = after
        while True:
            query = select(AuditRecord).order_by(AuditRecord.seq).limit(batch_size)
            if last is not None:
                query = query.where(AuditRecord.seq > last)
            batch = session.scalars(query).all()
            if not batch:
                return
            yield from batch
            last = batch[-1].seq
            session.expunge_all()

    def _verify(self, session: Session, batch_size: int = 2000) -> VerifyResult:
        anchor = session.get(AuditAnchor, "purge")
        head = session.get(AuditAnchor, "head")
        anchor_seq = anchor.seq if anchor else None
        head_seq, head_hash = (head.seq, head.hash) if head else (None, None)
        expected = anchor.seq + 1 if anchor else 1
        prev = anchor.hash if anchor else GENESIS_HASH
        checked = 0

        def bad(seq: int | None, reason: str) -> VerifyResult:
            return VerifyResult(False, seq, reason, checked, anchor_seq, head_seq, head_hash)

        for row in self._rows(session, batch_size):
            if row.seq < expected:
                return bad(row.seq, f"record {row.seq} lies before the retention anchor (record {anchor_seq}); "
                                    "records were inserted or renumbered")
            if row.seq > expected:
                return bad(expected, f"record {expected} is missing (the next record is {row.seq})")
            if row.prev_hash != prev:
                return bad(row.seq, f"record {row.seq} does not follow record {row.seq - 1} (its prev_hash differs); "
                                    "records were removed, reordered or rewritten")
            try:
                payload = json.loads(row.payload)
            except ValueError:
                return bad(row.seq, f"record {row.seq} has a payload that is not valid JSON (it was changed)")
            if canonical_json(payload) != row.payload:
                return bad(row.seq, f"record {row.seq} has a payload that was edited outside the audit log")
            if record_hash(row.seq, row.ts, row.kind, row.municipality, payload, row.prev_hash) != row.hash:
                return bad(row.seq, f"record {row.seq} was changed (its content does not match its hash)")
            prev, expected, checked = row.hash, expected + 1, checked + 1

        last = expected - 1
        if head is None:
            if checked or anchor:
                return bad(None, "the head marker (audit_anchor 'head') is missing")
            return VerifyResult(True, None, "the audit log is empty", 0, anchor_seq, None, None)
        if head.seq > last:
            return bad(last + 1, f"records {last + 1}–{head.seq} are missing at the end "
                                 f"(the last record appended was {head.seq})")
        if head.seq < last:  # a record inserted by hand after the last append
            return bad(head.seq + 1, f"record {head.seq + 1} was not written by the audit log")
        if head.hash != prev:
            return bad(head.seq, f"record {head.seq} does not match the head marker's hash")
        first = anchor.seq + 1 if anchor else 1
        span = f"records {first}–{last}" if checked else "no records after the retention anchor"
        return VerifyResult(True, None, f"intact: {span}", checked, anchor_seq, head_seq, head_hash)

    def iter_records(self, batch_size: int = 2000) -> Iterator[dict[str, Any]]:
        """Every record as a dict (payload parsed), oldest first."""
        with self._read_session() as session:
            for row in self._rows(session, batch_size):
                yield _record_dict(row)

    def export(self) -> dict[str, Any]:
        """The whole trail for an auditor: anchors, the verification result and every record.

        Pseudonyms are exported as they are stored; the salt never is.
        """
        with self._read_session() as session:
            result = self._verify(session)
            anchor, head = session.get(AuditAnchor, "purge"), session.get(AuditAnchor, "head")
            return {
                "exported_at": _format_ts(_utcnow()),
                "verify": result.to_dict(),
                "purge_anchor": _anchor_dict(anchor),
                "head": _anchor_dict(head),
                "records": [_record_dict(row) for row in self._rows(session, 2000)],
            }

    def count(self) -> int:
        with self.session_factory() as session:
            return int(session.scalar(select(func.count()).select_from(AuditRecord)) or 0)

    # -- retention -------------------------------------------------------------

    def purge_older_than(self, days: int | None = None) -> PurgeResult:
        """Delete audit records, consultant actions and feedback older than ``days`` (default: config).

        Only a *prefix* of the chain is deleted (up to the first record that is
        still young enough), the last deleted record becomes the ``purge``
        anchor, and the purge is itself recorded. Refuses with
        :class:`AuditChainBroken` when the chain does not verify, so a purge
        never destroys the evidence of tampering.
        """
        days = config.audit_retention_days() if days is None else int(days)
        if days < 1:
            raise ValueError("days must be at least 1")
        now = self.clock()
        cutoff_dt = now - dt.timedelta(days=days)
        cutoff = _format_ts(cutoff_dt)

        def work(session: Session) -> PurgeResult:
            result = self._verify(session)
            if not result.ok:
                raise AuditChainBroken(result)
            anchor = session.get(AuditAnchor, "purge")
            first_young = session.scalar(select(func.min(AuditRecord.seq)).where(AuditRecord.ts >= cutoff))
            if first_young is None:
                last_old = session.scalar(select(func.max(AuditRecord.seq)))
            else:
                last_old = session.scalar(select(func.max(AuditRecord.seq)).where(AuditRecord.seq < first_young))
            deleted = 0
            if last_old is not None:
                last = session.get(AuditRecord, last_old)
                assert last is not None
                deleted = session.execute(delete(AuditRecord).where(AuditRecord.seq <= last_old)).rowcount or 0
                if anchor is None:
                    anchor = AuditAnchor(name="purge", seq=last.seq, hash=last.hash, record_ts=last.ts,
                                         count=deleted, updated_at=_utcnow())
                    session.add(anchor)
                else:
                    anchor.seq, anchor.hash, anchor.record_ts = last.seq, last.hash, last.ts
                    anchor.count, anchor.updated_at = anchor.count + deleted, _utcnow()
            actions = session.execute(delete(ConsultantAction).where(ConsultantAction.ts < cutoff_dt)).rowcount or 0
            feedback = session.execute(delete(Feedback).where(Feedback.ts < cutoff_dt)).rowcount or 0
            session.flush()
            outcome = PurgeResult(days=days, cutoff=cutoff, deleted=deleted, anchor_seq=anchor.seq if anchor else None,
                                  actions_deleted=actions, feedback_deleted=feedback)
            if deleted or actions or feedback:
                self._append_locked(session, "purge", outcome.to_dict(), None)
            return outcome

        return run_serialised(self.session_factory, work)
