"""The text catalogue: both languages complete, every key the code asks for exists, no hard-coded UI text."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from jobmatch import i18n
from jobmatch.config import REPO_ROOT

#: files whose texts must come from the catalogue: the app, its pages and the ui helpers
#: (ui/auth.py belongs to the login work and carries its own Danish messages for IT)
UI_FILES = sorted([REPO_ROOT / "app.py", *(REPO_ROOT / "pages").glob("*.py"),
                   *(p for p in (REPO_ROOT / "ui").glob("*.py") if p.name not in {"auth.py"})])
#: files that ask the catalogue for texts (the ui files plus the display helpers in the library)
CODE_FILES = sorted({*UI_FILES, *(REPO_ROOT / "jobmatch").glob("*.py")})

#: Streamlit calls that put text on the screen
ST_TEXT_CALLS = frozenset({
    "title", "header", "subheader", "caption", "markdown", "write", "text", "info", "warning", "error", "success",
    "toast", "metric", "button", "download_button", "link_button", "page_link", "checkbox", "toggle", "radio",
    "selectbox", "multiselect", "slider", "select_slider", "text_input", "number_input", "text_area",
    "date_input", "time_input", "file_uploader", "color_picker", "expander", "tabs", "spinner", "status",
    "popover", "form_submit_button", "segmented_control", "pills", "Page", "set_page_config", "html",
    "chat_input", "latex", "dialog", "navigation",
})
TEXT_KEYWORDS = frozenset({"label", "help", "placeholder", "title", "page_title", "body", "text", "caption"})
NOT_STREAMLIT = frozenset({"log", "logger", "logging", "warnings", "parser", "p", "sub"})
#: literal strings that are allowed: the product's name
ALLOWED = frozenset({"jobmatch"})


def _literal_texts(node: ast.AST) -> list[str]:
    """User-facing text in a literal argument (strings, f-string pieces, lists/tuples of them)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [text for item in node.elts for text in _literal_texts(item)]
    if isinstance(node, ast.BinOp):
        return _literal_texts(node.left) + _literal_texts(node.right)
    return []


def _is_text(value: str) -> bool:
    stripped = value.strip()
    if not any(ch.isalpha() for ch in stripped) or stripped in ALLOWED:
        return False
    return not (stripped.endswith(".py") or "/" in stripped and " " not in stripped)


def hard_coded_texts(source: str, filename: str = "<string>") -> list[str]:
    """``file:line: text`` for every literal text handed straight to a Streamlit display call."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        if node.func.attr not in ST_TEXT_CALLS:
            continue
        receiver = node.func.value
        if isinstance(receiver, ast.Name) and receiver.id in NOT_STREAMLIT:
            continue
        args = list(node.args) + [kw.value for kw in node.keywords if kw.arg in TEXT_KEYWORDS]
        for arg in args:
            for text in _literal_texts(arg):
                if _is_text(text):
                    found.append(f"{filename}:{node.lineno}: {text!r}")
    return found


def catalogue_calls(source: str) -> tuple[set[str], set[str]]:
    """Keys asked for with a literal (``tr("a.b")``) and key prefixes asked for with an f-string."""
    keys, prefixes = set(), set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name not in {"t", "tr", "has_key"}:
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            keys.add(first.value)
        elif isinstance(first, ast.JoinedStr) and first.values and isinstance(first.values[0], ast.Constant):
            prefixes.add(str(first.values[0].value))
    return keys, prefixes


def test_both_languages_have_every_key_with_the_same_placeholders():
    assert i18n.problems() == []
    cat = i18n.load_catalogue()
    assert set(cat["da"]) == set(cat["en"])
    assert len(cat["da"]) > 200


def test_problems_are_found_in_a_broken_catalogue(tmp_path):
    path = tmp_path / "texts.toml"
    path.write_text('[da]\na = "Hej {name}"\nb = "x"\nc_shared = "y"\n[en]\na = "Hello {who}"\n', encoding="utf-8")
    found = i18n.problems(path)
    assert any(p.startswith("b: missing in [en]") for p in found)
    assert any(p.startswith("a: placeholders differ") for p in found)
    assert any(p.startswith("c_shared:") for p in found)


def test_a_catalogue_without_a_language_is_refused(tmp_path):
    path = tmp_path / "texts.toml"
    path.write_text('[da]\na = "Hej"\n', encoding="utf-8")
    with pytest.raises(i18n.CatalogueError, match=r"\[en\]"):
        i18n.load_catalogue(path)


def test_lookup_fills_numbers_per_language_and_prefers_the_shared_wording():
    assert i18n.t("start.metric_postings") == "Aktuelle jobopslag"
    assert i18n.t("start.metric_postings", "en") == "Current job postings"
    assert i18n.t("citizen.edits", "da", added=1500, removed=2) == "Rettet sammen: 1.500 tilføjet, 2 fjernet."
    assert i18n.t("citizen.edits", "en", added=1500, removed=2) == "Edited together: 1,500 added, 2 removed."
    assert i18n.t("citizen.title", "da", shared=True) == "Dit CV og dine ønsker"
    assert i18n.t("citizen.title", "da", shared=False) == "Borger: CV og ønsker"
    # no shared variant: the plain text
    assert i18n.t("nav.map", "da", shared=True) == "Kort"
    # an unknown language falls back to Danish; an unknown key shows itself instead of failing
    assert i18n.t("nav.map", "xx") == "Kort"
    assert i18n.t("no.such.key", "da") == "no.such.key"
    assert i18n.Translator("en")("nav.map") == "Map"


def test_format_number():
    assert i18n.format_number(30000, "da") == "30.000"
    assert i18n.format_number(30000, "en") == "30,000"
    assert i18n.format_number(2.5, "da") == "2,5"
    assert i18n.format_number(1234.5, "en") == "1,234.5"
    assert i18n.format_number("2300") == "2300"


def test_the_scanner_finds_hard_coded_texts():
    bad = 'import streamlit as st\nst.title("Jobforslag")\ncol.button(label="Gem")\nst.tabs(["A b", "C"])\n' \
          'st.markdown(f"Du har {n} job")\nlog.error("page %s failed", x)\nst.page_link("pages/map.py", label=tr("k"))\n' \
          'st.set_page_config(page_title="jobmatch")\nst.markdown(f"#### {n}. {title}")\n'
    found = hard_coded_texts(bad, "bad.py")
    assert [f.split(":")[1] for f in found] == ["2", "3", "4", "4", "5", "5"]  # f-string: two pieces


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_no_page_hard_codes_user_facing_text(path: Path):
    assert hard_coded_texts(path.read_text(encoding="utf-8"), str(path.relative_to(REPO_ROOT))) == []


def test_every_key_the_code_asks_for_exists_and_every_text_is_used():
    cat = i18n.load_catalogue()["da"]
    keys, prefixes, constants = set(), set(), set()
    for path in CODE_FILES:
        source = path.read_text(encoding="utf-8")
        k, p = catalogue_calls(source)
        keys |= k
        prefixes |= p
        # keys kept in tables (the page list, the start page's steps) count as used too
        constants |= {n.value for n in ast.walk(ast.parse(source))
                      if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    missing = sorted(k for k in keys if k not in cat)
    assert missing == []
    for prefix in prefixes:
        assert any(key.startswith(prefix) for key in cat), f"no texts under {prefix!r}"
    unused = sorted(key for key in cat
                    if key.removesuffix(i18n.SHARED_SUFFIX) not in keys | constants
                    and not any(key.startswith(p) for p in prefixes))
    assert unused == []
