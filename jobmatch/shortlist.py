"""The citizen's job list to take home, as PDF and CSV bytes.

The consultant pins jobs on the suggestions page; the Jobliste page turns the
pinned jobs into a short document in plain Danish (or English): title,
employer, place, travel time, deadline, working hours, why the job was
suggested and the consultant's note. **No internal scores**, ranks or model
details go into it — it is the citizen's paper, not the tool's.

* :func:`to_csv` — semicolon-separated UTF-8 with a byte-order mark, so Danish
  Excel opens it with æ, ø and å intact;
* :func:`to_pdf` — an A4 PDF made with ReportLab's built-in Helvetica (its
  WinAnsi encoding holds æ, ø, å and the usual punctuation; other characters
  are replaced by their nearest Latin-1 form so nothing turns into boxes).

Nothing is written to disk: both return bytes for a download button.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from jobmatch.display import JobCard, date_text
from jobmatch.i18n import t

#: CSV columns (catalogue keys under ``shortlist.col``), in order
CSV_COLUMNS: tuple[str, ...] = ("title", "employer", "place", "travel", "deadline", "hours", "why", "note",
                                "job_number")


@dataclass(frozen=True)
class ShortlistItem:
    """One job on the list, in words only."""

    title: str
    employer: str
    place: str
    travel: str
    deadline: str
    hours: str
    reasons: list[str] = field(default_factory=list)
    note: str = ""
    job_number: str = ""

    @classmethod
    def from_card(cls, card: JobCard, note: str = "") -> "ShortlistItem":
        return cls(title=card.title, employer=card.employer, place=card.place, travel=card.travel_text,
                   deadline=card.deadline_text, hours=card.hours_text, reasons=list(card.reasons),
                   note=(note or "").strip(), job_number=card.posting_id)

    def row(self) -> dict[str, str]:
        return {"title": self.title, "employer": self.employer, "place": self.place, "travel": self.travel,
                "deadline": self.deadline, "hours": self.hours, "why": " ".join(self.reasons), "note": self.note,
                "job_number": self.job_number}


def to_csv(items: Sequence[ShortlistItem], lang: str = "da") -> bytes:
    """The list as CSV bytes (``;``-separated, UTF-8 with BOM, one row per job, a header row)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([t(f"shortlist.col.{c}", lang) for c in CSV_COLUMNS])
    for item in items:
        row = item.row()
        writer.writerow([_one_line(row[c]) for c in CSV_COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def winansi(text: str) -> str:
    """``text`` with every character the PDF's Helvetica cannot draw replaced by a close one."""
    out = []
    for ch in str(text):
        try:
            ch.encode("cp1252")
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        plain = unicodedata.normalize("NFKD", ch).encode("cp1252", "ignore").decode("cp1252")
        out.append(plain if plain else "?")
    return "".join(out)


def _p(text: str) -> str:
    """Text for a ReportLab Paragraph: drawable characters, markup escaped."""
    return escape(winansi(text))


def to_pdf(items: Sequence[ShortlistItem], lang: str = "da", *, made_on: dt.date | None = None) -> bytes:
    """The list as an A4 PDF (bytes)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

    made_on = made_on or dt.date.today()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                            bottomMargin=18 * mm, title=winansi(t("shortlist.pdf_title", lang)),
                            author="jobmatch", subject=winansi(t("shortlist.pdf_subject", lang)),
                            lang="da-DK" if lang == "da" else "en-GB")
    base = getSampleStyleSheet()
    body = ParagraphStyle("jm-body", parent=base["BodyText"], fontName="Helvetica", fontSize=11, leading=15)
    small = ParagraphStyle("jm-small", parent=body, fontSize=9, leading=12, textColor=colors.HexColor("#444444"))
    title = ParagraphStyle("jm-title", parent=base["Title"], fontName="Helvetica-Bold", fontSize=20, leading=24,
                           alignment=0)
    job_title = ParagraphStyle("jm-job", parent=body, fontName="Helvetica-Bold", fontSize=13, leading=17,
                               spaceBefore=6)

    story: list = [
        Paragraph(_p(t("shortlist.pdf_title", lang)), title),
        Paragraph(_p(t("shortlist.pdf_made_on", lang, date=date_text(made_on, lang))), small),
        Spacer(1, 4 * mm),
        Paragraph(_p(t("shortlist.pdf_intro", lang)), body),
        Spacer(1, 4 * mm),
    ]
    if not items:
        story.append(Paragraph(_p(t("shortlist.pdf_empty", lang)), body))
    for number, item in enumerate(items, start=1):
        block = [Paragraph(_p(f"{number}. {item.title}"), job_title)]
        for key, value in (("employer", item.employer), ("place", item.place), ("travel", item.travel),
                           ("deadline", item.deadline), ("hours", item.hours)):
            if value:
                block.append(Paragraph(f"<b>{_p(t(f'shortlist.col.{key}', lang))}:</b> {_p(value)}", body))
        if item.reasons:
            block.append(Paragraph(f"<b>{_p(t('shortlist.col.why', lang))}:</b>", body))
            block.append(ListFlowable([ListItem(Paragraph(_p(r), body), leftIndent=12) for r in item.reasons],
                                      bulletType="bullet", start="\u2022", leftIndent=12))
        if item.note:
            block.append(Paragraph(f"<b>{_p(t('shortlist.col.note', lang))}:</b> {_p(item.note)}", body))
        if item.job_number:
            block.append(Paragraph(_p(f"{t('shortlist.col.job_number', lang)}: {item.job_number}"), small))
        block.append(Spacer(1, 3 * mm))
        story.append(KeepTogether(block))
    story += [Spacer(1, 6 * mm), Paragraph(_p(t("shortlist.pdf_footer", lang)), small)]
    doc.build(story)
    return buffer.getvalue()
