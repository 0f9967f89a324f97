"""Shortlists: postings a consultant saves for a citizen — only when they click "save".

A shortlist holds posting ids in the consultant's order and the citizen's
pseudonym (:func:`jobmatch.audit.pseudonym`); never CV text, never the
citizen's name. Nothing here is called automatically: the app calls
:func:`save_shortlist` on an explicit user action, and the data is deleted
with :func:`delete_shortlist` or by the municipality's retention job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from jobmatch.audit import pseudonym
from jobmatch.dbmodels import POSTING_ID_LEN, Shortlist, ShortlistItem

MAX_ITEMS = 100


class ShortlistError(ValueError):
    """A shortlist that cannot be saved (empty id, too many postings, …)."""


@dataclass(frozen=True)
class SavedShortlist:
    id: int
    title: str | None
    posting_ids: list[str]
    citizen_pseudonym: str
    consultant_pseudonym: str
    municipality_code: int | None

    @classmethod
    def from_row(cls, row: Shortlist) -> SavedShortlist:
        return cls(id=row.id, title=row.title, posting_ids=[item.posting_id for item in row.items],
                   citizen_pseudonym=row.citizen_pseudonym, consultant_pseudonym=row.consultant_pseudonym,
                   municipality_code=row.municipality_code)


def _clean_postings(posting_ids: Sequence[str]) -> list[str]:
    if isinstance(posting_ids, str):
        raise ShortlistError("posting_ids must be a list of posting ids")
    cleaned: list[str] = []
    for value in posting_ids:
        text = str(value).strip()
        if not text or len(text) > POSTING_ID_LEN:
            raise ShortlistError(f"not a posting id: {text[:20]!r}")
        if text not in cleaned:  # keep the first position of a duplicate
            cleaned.append(text)
    if len(cleaned) > MAX_ITEMS:
        raise ShortlistError(f"a shortlist holds at most {MAX_ITEMS} postings")
    return cleaned


def save_shortlist(factory: sessionmaker[Session], *, consultant_id: str, citizen_id: str,
                   posting_ids: Sequence[str], title: str | None = None, municipality: int | None = None,
                   shortlist_id: int | None = None) -> SavedShortlist:
    """Save (or, with ``shortlist_id``, replace the postings of) a shortlist. Call only on a user's "save"."""
    postings = _clean_postings(posting_ids)
    title = (title or "").strip()[:120] or None
    with factory.begin() as session:
        if shortlist_id is None:
            row = Shortlist(consultant_pseudonym=pseudonym("consultant", consultant_id),
                            citizen_pseudonym=pseudonym("citizen", citizen_id), title=title,
                            municipality_code=municipality)
            session.add(row)
        else:
            row = session.get(Shortlist, shortlist_id, options=[selectinload(Shortlist.items)])
            if row is None:
                raise ShortlistError(f"no shortlist {shortlist_id}")
            if row.citizen_pseudonym != pseudonym("citizen", citizen_id):
                raise ShortlistError(f"shortlist {shortlist_id} belongs to another citizen")
            row.title = title
            row.items.clear()
            session.flush()  # delete the old items before inserting (unique posting per list)
        row.items.extend(ShortlistItem(posting_id=pid, position=i) for i, pid in enumerate(postings, start=1))
        session.flush()
        return SavedShortlist.from_row(row)


def list_shortlists(factory: sessionmaker[Session], *, citizen_id: str) -> list[SavedShortlist]:
    """The citizen's shortlists, newest first."""
    with factory() as session:
        rows = session.scalars(
            select(Shortlist).where(Shortlist.citizen_pseudonym == pseudonym("citizen", citizen_id))
            .options(selectinload(Shortlist.items)).order_by(Shortlist.id.desc())
        ).all()
        return [SavedShortlist.from_row(row) for row in rows]


def delete_shortlist(factory: sessionmaker[Session], shortlist_id: int) -> bool:
    """Delete a shortlist and its items; False when it did not exist."""
    with factory.begin() as session:
        row = session.get(Shortlist, shortlist_id)
        if row is None:
            return False
        session.delete(row)
        return True
