"""The dashboard's words, in Danish (default) and English, from one catalogue.

Every text a user sees in the app — titles, labels, help texts, messages, the
shortlist's headings — lives in ``jobmatch/resources/texts.toml`` under one
key, with a ``[da]`` and an ``[en]`` table of the same shape. Pages never
write user-facing strings themselves; they call :func:`t` (or a
:class:`Translator` bound to the session's language), which keeps the two
languages complete and lets a municipality adjust wording without touching
code. ``tests/test_i18n.py`` checks that both languages have every key with
the same ``{placeholders}``, that every key the code asks for exists, and that
no page passes a hard-coded string to Streamlit.

Shared-screen wording
    A key may have a variant for the shared screen (citizen and consultant
    looking together): ``intro`` and ``intro_shared``. With ``shared=True``
    the variant is used when it exists, else the plain text.

Numbers in placeholders are formatted for the language (``1.500`` in
Danish, ``1,500`` in English); everything else is inserted as given.
"""

from __future__ import annotations

import logging
import re
import string
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jobmatch import config

log = logging.getLogger(__name__)

LANGS: tuple[str, ...] = ("da", "en")
DEFAULT_LANG = "da"

#: suffix of a key's shared-screen variant
SHARED_SUFFIX = "_shared"

CATALOGUE_PATH = config.RESOURCES_DIR / "texts.toml"

_KEY = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)*")


class CatalogueError(ValueError):
    """The text catalogue is missing, unreadable or malformed (an installation problem)."""


def _flatten(table: dict[str, Any], prefix: str, out: dict[str, str], where: str) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(value, full, out, where)
        elif isinstance(value, str):
            out[full] = value
        else:
            raise CatalogueError(f"{where}: {full} must be a text, got {type(value).__name__}")


@lru_cache(maxsize=4)
def load_catalogue(path: Path | None = None) -> dict[str, dict[str, str]]:
    """``{lang: {dotted.key: text}}`` read from the TOML catalogue (cached)."""
    path = Path(path) if path is not None else CATALOGUE_PATH
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CatalogueError(f"Text catalogue {path} not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"Text catalogue {path} is not valid TOML: {exc}") from exc
    out: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        table = raw.get(lang)
        if not isinstance(table, dict):
            raise CatalogueError(f"Text catalogue {path} has no [{lang}] table")
        flat: dict[str, str] = {}
        _flatten(table, "", flat, f"{path.name} [{lang}]")
        out[lang] = flat
    return out


def check_lang(lang: str | None) -> str:
    """``lang`` if it is a supported language, else the default (the UI never fails on a language)."""
    return lang if lang in LANGS else DEFAULT_LANG


def placeholders(text: str) -> set[str]:
    """Names of the ``{placeholders}`` in a template."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def format_number(value: Any, lang: str = DEFAULT_LANG) -> str:
    """Integers with a thousands separator, decimals with the language's decimal mark."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        text = f"{value:,}"
        return text.replace(",", ".") if check_lang(lang) == "da" else text
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return format_number(int(value), lang)
        text = f"{value:,.1f}"
        if check_lang(lang) == "da":
            text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
        return text
    return str(value)


def has_key(key: str, lang: str = DEFAULT_LANG) -> bool:
    return key in load_catalogue()[check_lang(lang)]


def t(key: str, lang: str = DEFAULT_LANG, *, shared: bool = False, **params: Any) -> str:
    """The text of ``key`` in ``lang`` with ``params`` filled in.

    A missing key is shown as the key itself (and logged) rather than
    breaking the page; the tests make sure no key is missing.
    """
    lang = check_lang(lang)
    texts = load_catalogue()[lang]
    template = texts.get(key + SHARED_SUFFIX) if shared else None
    if template is None:
        template = texts.get(key)
    if template is None:
        log.warning("missing text %s [%s]", key, lang)
        return key
    if not params:
        return template
    values = {name: format_number(value, lang) for name, value in params.items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        log.warning("text %s [%s] could not be filled (placeholders %s)", key, lang, sorted(placeholders(template)))
        return template


@dataclass(frozen=True)
class Translator:
    """:func:`t` bound to one language and screen mode: ``tr = Translator("en"); tr("nav.map")``."""

    lang: str = DEFAULT_LANG
    shared: bool = False

    def __call__(self, key: str, **params: Any) -> str:
        return t(key, self.lang, shared=self.shared, **params)


def problems(path: Path | None = None) -> list[str]:
    """Everything wrong with the catalogue: keys missing in a language, placeholder mismatches, bad keys."""
    cat = load_catalogue(path)
    found: list[str] = []
    all_keys = set().union(*(set(v) for v in cat.values()))
    for lang in LANGS:
        for key in sorted(all_keys - set(cat[lang])):
            found.append(f"{key}: missing in [{lang}]")
    for key in sorted(set.intersection(*(set(v) for v in cat.values()))):
        names = {lang: placeholders(cat[lang][key]) for lang in LANGS}
        if len({frozenset(v) for v in names.values()}) > 1:
            found.append(f"{key}: placeholders differ {names}")
        if not _KEY.fullmatch(key):
            found.append(f"{key}: keys are lower-case words joined by dots")
        for lang in LANGS:
            if not cat[lang][key].strip():
                found.append(f"{key}: empty in [{lang}]")
    for key in sorted(all_keys):
        if key.endswith(SHARED_SUFFIX) and key[: -len(SHARED_SUFFIX)] not in all_keys:
            found.append(f"{key}: shared-screen variant of a key that does not exist")
    return found
