"""Readability of Danish Markdown documents: LIX, read the way a person reads the page.

LIX itself (Björnsson: ``words / sentences + 100 × long words / words``, a
long word has more than six letters) is :func:`jobmatch.reasons.lix`, the
one the explanations are held to. This module only turns Markdown into the
text a reader sees before measuring it: heading marks, emphasis, link targets
and table pipes are dropped, and a heading or table row that does not end
with a full stop still ends a unit the reader takes in at once, so it gets
one. List items keep their own punctuation — a list introduced by a colon
and separated by semicolons is read as one sentence, which is the stricter
reading.

Bands (Danish convention): below 25 very easy, 25–34 easy, 35–44 medium
(newspapers), 45–54 hard, 55 and above very hard. jobmatch holds the citizen
information page to LIX < 40 (``tests/test_transparency.py``).
"""

from __future__ import annotations

import re

from jobmatch.reasons import lix as _lix

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[*_`>|]+")
_HEADING = re.compile(r"^\s*#{1,6}\s+")
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_ENDS = (".", "!", "?", ":", ";", ",")


def plain_text(markdown: str) -> str:
    """Markdown → the text a reader sees; headings and table rows end with a full stop."""
    lines = []
    for raw in markdown.splitlines():
        line = raw.strip()
        if not line or set(line) <= set("-|: "):  # blank lines and table rules
            continue
        heading = bool(_HEADING.match(line)) or line.startswith("|")
        line = _LINK.sub(r"\1", line)
        line = _HEADING.sub("", line)
        line = _LIST_MARK.sub("", line)
        line = " ".join(_MARKUP.sub(" ", line).split())
        if not line:
            continue
        if heading and not line.endswith(_ENDS):
            line += "."
        lines.append(line)
    return "\n".join(lines)


def lix(markdown: str) -> float:
    """LIX of a Markdown document (see the module docstring)."""
    return round(_lix(plain_text(markdown)), 1)


def band(value: float) -> str:
    """The Danish band of a LIX value."""
    if value < 25:
        return "meget let"
    if value < 35:
        return "let"
    if value < 45:
        return "middel"
    if value < 55:
        return "svær"
    return "meget svær"
