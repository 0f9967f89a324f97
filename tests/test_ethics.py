"""The ethics register: CRUD with validation, idempotent seeding, Markdown export, CLI."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from jobmatch import ethics
from jobmatch.cli import main
from jobmatch.dbmodels import ETHICS_ROLES, ETHICS_STATUSES


def test_seed_is_idempotent_and_complete(db_factory):
    assert ethics.seed_register(db_factory) == len(ethics.SEED)
    assert ethics.seed_register(db_factory) == 0
    entries = ethics.list_entries(db_factory)
    assert len(entries) == len(ethics.SEED) and 10 <= len(entries) <= 14
    assert len({e.key for e in entries}) == len(entries)
    questions = " ".join(e.question for e in entries)
    for phrase in ("diskriminere på køn, alder eller oprindelse", "automation bias", "forstår borgeren",
                   "hjemmel", "sanktioner eller rådighedsvurdering", "Simulerede demodata", "indsigelse",
                   "Personlige kompetencer", "pendling", "Stop-knap"):
        assert phrase in questions
    assert {e.raised_by_role for e in entries} <= set(ETHICS_ROLES)
    assert {"projektgruppe", "jobkonsulent", "borger", "DPO", "IT"} == {e.raised_by_role for e in entries}
    for e in entries:
        if e.status in ("decided", "closed"):
            assert e.decision and e.assessment, e.key
    assert any(e.status == "open" for e in entries)  # an honest register has open questions
    no = next(e for e in entries if e.key == "no_sanctions")
    assert no.decision.startswith("Nej")


def test_seed_does_not_overwrite_edits_or_revive_changed_entries(db_factory):
    ethics.seed_register(db_factory)
    entry = next(e for e in ethics.list_entries(db_factory) if e.key == "model_drift")
    ethics.update_entry(db_factory, entry.id, assessment="Vurderet af IT", status="assessed")
    assert ethics.seed_register(db_factory) == 0
    again = ethics.get_entry(db_factory, entry.id)
    assert again.assessment == "Vurderet af IT" and again.status == "assessed"


def test_add_update_delete(db_factory):
    entry = ethics.add_entry(db_factory, question="Skal borgeren kunne se sin egen rangering?",
                             raised_by_role="borger", raised_at="2026-10-30")
    assert entry.status == "open" and entry.raised_at == dt.date(2026, 10, 30) and entry.key is None
    assessed = ethics.update_entry(db_factory, entry.id, assessment="Giver indsigt, men kan misforstås.",
                                   status="assessed")
    assert assessed.status == "assessed" and assessed.updated_at >= entry.updated_at
    decided = ethics.update_entry(db_factory, entry.id, decision="Ja, med forklaring.", status="decided")
    assert decided.decision == "Ja, med forklaring." and decided.assessment == assessed.assessment
    assert ethics.get_entry(db_factory, entry.id) == decided
    assert [e.id for e in ethics.list_entries(db_factory, status="decided")] == [entry.id]
    assert ethics.list_entries(db_factory, status="open") == []
    assert ethics.delete_entry(db_factory, entry.id) is True
    assert ethics.delete_entry(db_factory, entry.id) is False
    assert ethics.get_entry(db_factory, entry.id) is None


def test_roles_are_accepted_case_insensitively(db_factory):
    assert ethics.add_entry(db_factory, question="Q?", raised_by_role="dpo").raised_by_role == "DPO"


@pytest.mark.parametrize("kwargs, message", [
    ({"question": "  ", "raised_by_role": "borger"}, "question must not be empty"),
    ({"question": "Q?", "raised_by_role": "minister"}, "raised_by_role must be one of"),
    ({"question": "Q?", "raised_by_role": "IT", "status": "done"}, "status must be one of"),
    ({"question": "Q?", "raised_by_role": "IT", "status": "decided", "assessment": "a"}, "needs a decision"),
    ({"question": "Q?", "raised_by_role": "IT", "status": "assessed"}, "needs an assessment"),
    ({"question": "Q?", "raised_by_role": "IT", "raised_at": "i går"}, "date like"),
    ({"question": "x" * 1001, "raised_by_role": "IT"}, "longer than 1000"),
])
def test_bad_entries_are_refused(db_factory, kwargs, message):
    with pytest.raises(ethics.EthicsError, match=message):
        ethics.add_entry(db_factory, **kwargs)
    assert ethics.list_entries(db_factory) == []


def test_bad_updates_are_refused_and_change_nothing(db_factory):
    entry = ethics.add_entry(db_factory, question="Q?", raised_by_role="IT")
    with pytest.raises(ethics.EthicsError, match="needs a decision"):
        ethics.update_entry(db_factory, entry.id, assessment="a", status="closed")
    with pytest.raises(ethics.EthicsError, match="cannot change"):
        ethics.update_entry(db_factory, entry.id, key="sneaky")
    with pytest.raises(ethics.EthicsError, match="no entry"):
        ethics.update_entry(db_factory, 999_999, status="open")
    assert ethics.get_entry(db_factory, entry.id) == entry


def test_database_enforces_roles_and_statuses_too(db_factory):
    with pytest.raises(IntegrityError):
        with db_factory.begin() as session:
            session.execute(text(
                "INSERT INTO ethics_register (question, raised_by_role, raised_at, assessment, decision, status, "
                "updated_at) VALUES ('q', 'minister', CURRENT_DATE, '', '', 'open', CURRENT_TIMESTAMP)"))


def test_markdown_export(db_factory):
    ethics.seed_register(db_factory)
    ethics.add_entry(db_factory, question="Må | bruges i tabeller?", raised_by_role="IT", raised_at="2026-10-31")
    markdown = ethics.export_markdown(db_factory)
    entries = ethics.list_entries(db_factory)
    assert markdown.startswith("# Etisk register — jobmatch\n")
    table_rows = [line for line in markdown.splitlines() if line.startswith("| ") and not line.startswith("| Nr.")]
    assert len(table_rows) == len(entries)
    assert "Må \\| bruges i tabeller?" in markdown  # the pipe does not break the table
    for number, entry in enumerate(entries, start=1):
        assert f"## {number}. {entry.question}" in markdown
    assert markdown.count("**Vurdering.**") == len(entries)
    assert "_Ingen beslutning endnu._" in markdown  # the open questions say so
    assert f"{len(entries)} spørgsmål" in markdown


def test_markdown_of_an_empty_register():
    markdown = ethics.to_markdown([], generated=dt.date(2026, 11, 1))
    assert "Udskrevet 2026-11-01. 0 spørgsmål" in markdown


def test_every_status_has_a_label():
    assert set(ethics.STATUS_LABELS) == set(ETHICS_STATUSES)
    assert set(ethics.ROLE_LABELS) == set(ETHICS_ROLES)


def test_cli_seed_list_export(db_factory, tmp_path, capsys):
    assert main(["ethics", "seed", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["inserted"] == len(ethics.SEED)
    assert main(["ethics", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == len(ethics.SEED) and {"question", "status", "raised_at"} <= set(listed[0])
    out = tmp_path / "etik.md"
    assert main(["ethics", "export", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == ethics.export_markdown(db_factory)
    capsys.readouterr()
    assert main(["ethics", "export"]) == 0
    assert capsys.readouterr().out.startswith("# Etisk register")
    assert main(["ethics", "export", "--out", str(tmp_path / "missing" / "dir" / "x.md")]) == 2
