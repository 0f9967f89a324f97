"""The audit trail: what is recorded, what is refused, tamper detection, retention, pseudonyms, CLI."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat

import pytest
from sqlalchemy import func, select, text

from jobmatch import audit
from jobmatch.audit import AuditChainBroken, AuditLog, AuditPayloadError, pseudonym, record_hash
from jobmatch.cli import main
from jobmatch.dbmodels import AuditRecord, ConsultantAction, Feedback

CV_SENTENCE = ("Jeg har arbejdet som lagermedarbejder i otte år hos en stor grossist og har truckcertifikat "
               "og erfaring med pluk og pak, varemodtagelse og lagerstyring i SAP.")


class Clock:
    """A settable clock for the audit log."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


def _ranking(log: AuditLog, i: int = 0, **extra):
    kwargs = dict(consultant_id="kons-7", citizen_id="C00042", session_id="sess-1", model_version="m-2026-11",
                  data_version="d-abc", settings={"mode": "public", "max_minutes": 45, "top": 10},
                  suggestions=[{"posting_id": f"P{i}01", "score": 0.87654321, "reasons": ["Du har truckcertifikat"],
                                "title": "Lagermedarbejder"},
                               {"posting_id": f"P{i}02", "score": 0.5, "reasons": []}])
    kwargs.update(extra)
    return log.record_ranking(**kwargs)


def _filled(db_factory, n: int = 6) -> AuditLog:
    log = AuditLog(db_factory, municipality=101)
    for i in range(n):
        if i % 2:
            log.record_action(consultant_id="kons-7", citizen_id="C00042", session_id="sess-1", action="hide",
                              posting_id=f"P{i}", reason="For langt væk", page="forslag", rank_before=i)
        else:
            _ranking(log, i)
    return log


def _sql(db_factory, statement: str, **params) -> None:
    with db_factory.begin() as session:
        session.execute(text(statement), params)


# ---------------------------------------------------------------------------
# what is recorded


def test_ranking_record_holds_what_article_12_asks_and_nothing_more(db_factory):
    log = AuditLog(db_factory, municipality=147)
    appended = _ranking(log)
    record = next(log.iter_records())
    assert record["seq"] == appended.seq == 1 and record["kind"] == "ranking" and record["municipality"] == 147
    payload = record["payload"]
    assert payload["consultant"] == pseudonym("consultant", "kons-7")
    assert payload["citizen"] == pseudonym("citizen", "C00042")
    assert payload["model_version"] == "m-2026-11" and payload["data_version"] == "d-abc"
    assert payload["settings"] == {"mode": "public", "max_minutes": 45, "top": 10}
    assert payload["suggestions"][0] == {"rank": 1, "posting_id": "P001", "score": 0.876543,
                                         "reasons": ["Du har truckcertifikat"]}
    assert payload["method"] == "model"
    stored = json.dumps(record)
    assert "C00042" not in stored and "kons-7" not in stored and "Lagermedarbejder" not in stored
    assert record["ts"].endswith("Z") and dt.datetime.fromisoformat(record["ts"].replace("Z", "+00:00"))


def test_settings_dataclass_is_accepted(db_factory):
    from dataclasses import dataclass

    @dataclass
    class Settings:
        mode: str = "bike"
        max_minutes: int = 30

    log = AuditLog(db_factory)
    _ranking(log, settings=Settings())
    assert next(log.iter_records())["payload"]["settings"] == {"mode": "bike", "max_minutes": 30}


def test_action_is_stored_as_row_and_audit_record(db_factory):
    log = AuditLog(db_factory, municipality=101)
    log.record_action(consultant_id="kons-7", citizen_id="C00042", session_id="sess-1", action="reorder",
                      posting_id="P9", rank_before=7, rank_after=1, reason="Borgeren ønsker netop dette",
                      page="forslag")
    with db_factory() as session:
        row = session.scalars(select(ConsultantAction)).one()
    assert (row.action, row.rank_before, row.rank_after, row.page, row.municipality_code) == (
        "reorder", 7, 1, "forslag", 101)
    assert row.ts.tzinfo is not None
    payload = next(log.iter_records())["payload"]
    assert payload["action_id"] == row.id and payload["action"] == "reorder"
    assert payload["citizen"] == row.citizen_pseudonym


def test_feedback_goes_to_feedback_actions_and_audit(db_factory):
    log = AuditLog(db_factory)
    log.record_feedback(consultant_id="k", citizen_id="C1", session_id="s", posting_id="P1", useful=False,
                        reason="Kræver kørekort, som borgeren ikke har", model_version="m1")
    with db_factory() as session:
        fb = session.scalars(select(Feedback)).one()
        act = session.scalars(select(ConsultantAction)).one()
    assert fb.useful is False and fb.model_version == "m1" and act.action == "feedback"
    payload = next(log.iter_records())["payload"]
    assert payload["feedback_id"] == fb.id and payload["useful"] is False


@pytest.mark.parametrize("kwargs, message", [
    ({"action": "delete"}, "unknown action"),
    ({"action": "hide", "posting_id": None}, "posting_id is required"),
    ({"action": "reorder", "posting_id": "P1", "rank_before": 3}, "rank_before and rank_after"),
    ({"action": "pin", "posting_id": "P1", "rank_before": 0}, "position"),
    ({"action": "pin", "posting_id": "P1", "useful": True}, "only recorded with action='feedback'"),
    ({"action": "hide", "posting_id": "P1", "reason": "x" * 501}, "longer than 500"),
])
def test_bad_actions_are_refused_and_nothing_is_written(db_factory, kwargs, message):
    log = AuditLog(db_factory)
    with pytest.raises(AuditPayloadError, match=message):
        log.record_action(consultant_id="k", citizen_id="C", session_id="s", **kwargs)
    assert log.count() == 0


# ---------------------------------------------------------------------------
# never CV text


@pytest.mark.parametrize("payload", [
    {"cv_text": CV_SENTENCE},
    {"text": "kort"},
    {"profile": {"CV_Text": "x"}},
    {"items": [{"raw_text": "x"}]},
    {"summary_text": "x"},
    {"cv_file": "cv.pdf"},
])
def test_cv_like_keys_are_refused(db_factory, payload):
    log = AuditLog(db_factory)
    with pytest.raises(AuditPayloadError, match="never stores"):
        log.append("note", payload)
    assert log.count() == 0


def test_long_strings_are_refused_anywhere(db_factory):
    log = AuditLog(db_factory)
    with pytest.raises(AuditPayloadError, match="at most 500"):
        _ranking(log, suggestions=[{"posting_id": "P1", "score": 1.0, "reasons": [CV_SENTENCE * 4]}])
    with pytest.raises(AuditPayloadError, match="at most 500"):
        _ranking(log, settings={"query": CV_SENTENCE * 4})
    assert log.count() == 0
    # exactly the limit is fine: reasons are short texts
    _ranking(log, suggestions=[{"posting_id": "P1", "score": 1.0, "reasons": ["x" * 500]}])
    assert log.count() == 1


@pytest.mark.parametrize("suggestion, message", [
    ({"posting_id": "P1", "score": float("nan"), "reasons": []}, "finite"),
    ({"posting_id": "P1", "score": "high", "reasons": []}, "must be a number"),
    ({"posting_id": "P1", "score": 1.0, "reasons": "Du har truckcertifikat"}, "list of texts"),
    ({"posting_id": "P1", "score": 1.0, "reasons": [{"code": 1}]}, "list of texts"),
    ({"score": 1.0, "reasons": []}, "posting_id is required"),
])
def test_malformed_suggestions_are_refused(db_factory, suggestion, message):
    with pytest.raises(AuditPayloadError, match=message):
        _ranking(AuditLog(db_factory), suggestions=[suggestion])


def test_numpy_scores_are_stored_as_plain_numbers(db_factory):
    np = pytest.importorskip("numpy")
    log = AuditLog(db_factory)
    _ranking(log, suggestions=[{"posting_id": "P1", "score": np.float32(0.25), "reasons": [], "rank": np.int64(1)}])
    assert next(log.iter_records())["payload"]["suggestions"][0]["score"] == 0.25
    with pytest.raises(AuditPayloadError):
        log.append("note", {"matrix": np.zeros((2, 2))})


def test_personal_data_in_a_consultants_reason_is_masked(db_factory):
    log = AuditLog(db_factory)
    log.record_action(consultant_id="k", citizen_id="C", session_id="s", action="not_relevant", posting_id="P1",
                      reason="Ring til borgeren på 28 45 67 12 eller anna.jensen@example.dk, CPR 010190-1234")
    stored = json.dumps(next(log.iter_records()), ensure_ascii=False)
    with db_factory() as session:
        stored += session.scalars(select(ConsultantAction.reason)).one()
    for secret in ("28 45 67 12", "anna.jensen@example.dk", "010190-1234"):
        assert secret not in stored
    assert "Ring til borgeren" in stored


# ---------------------------------------------------------------------------
# tamper detection


def test_intact_chain_verifies(db_factory):
    log = _filled(db_factory)
    result = log.verify()
    assert result.ok and result.first_bad_seq is None and result.checked == 6 and result.head_seq == 6


def test_empty_log_verifies(db_factory):
    result = AuditLog(db_factory).verify()
    assert result.ok and result.checked == 0


def test_changed_payload_is_named(db_factory):
    log = _filled(db_factory)
    _sql(db_factory, "UPDATE audit_log SET payload = REPLACE(payload, 'P201', 'P999') WHERE seq = 3")
    result = log.verify()
    assert not result.ok and result.first_bad_seq == 3 and "changed" in result.reason


@pytest.mark.parametrize("column, value", [("ts", "2020-01-01T00:00:00.000000Z"), ("kind", "other"),
                                           ("municipality", 999)])
def test_changed_metadata_is_named(db_factory, column, value):
    log = _filled(db_factory)
    _sql(db_factory, f"UPDATE audit_log SET {column} = :v WHERE seq = 4", v=value)
    result = log.verify()
    assert not result.ok and result.first_bad_seq == 4


def test_reformatted_payload_is_named(db_factory):
    """Even a change that keeps the JSON's meaning (spaces) is reported."""
    log = _filled(db_factory)
    _sql(db_factory, "UPDATE audit_log SET payload = REPLACE(payload, ',', ', ') WHERE seq = 2")
    result = log.verify()
    assert not result.ok and result.first_bad_seq == 2


def test_deleted_middle_record_is_named(db_factory):
    log = _filled(db_factory)
    _sql(db_factory, "DELETE FROM audit_log WHERE seq = 3")
    result = log.verify()
    assert not result.ok and result.first_bad_seq == 3 and "missing" in result.reason


def test_swapped_records_are_named(db_factory):
    log = _filled(db_factory)
    _sql(db_factory, "UPDATE audit_log SET seq = -1 WHERE seq = 2")
    _sql(db_factory, "UPDATE audit_log SET seq = 2 WHERE seq = 5")
    _sql(db_factory, "UPDATE audit_log SET seq = 5 WHERE seq = -1")
    result = log.verify()
    assert not result.ok and result.first_bad_seq == 2 and "does not follow" in result.reason


def test_deleted_last_records_are_named(db_factory):
    log = _filled(db_factory)
    _sql(db_factory, "DELETE FROM audit_log WHERE seq >= 5")
    result = log.verify()
    assert not result.ok and result.first_bad_seq == 5 and "missing at the end" in result.reason


def test_emptied_log_is_named(db_factory):
    log = _filled(db_factory)
    _sql(db_factory, "DELETE FROM audit_log")
    result = log.verify()
    assert not result.ok and result.first_bad_seq == 1


def test_rewritten_and_rehashed_record_breaks_at_the_next(db_factory):
    """A forger who recomputes one record's hash is caught by the next record's link."""
    log = _filled(db_factory)
    with db_factory() as session:
        row = session.get(AuditRecord, 3)
        payload = json.loads(row.payload)
        payload["suggestions"][0]["score"] = 0.01
        forged = record_hash(row.seq, row.ts, row.kind, row.municipality, payload, row.prev_hash)
    _sql(db_factory, "UPDATE audit_log SET payload = :p, hash = :h WHERE seq = 3",
         p=audit.canonical_json(payload), h=forged)
    result = log.verify()
    assert not result.ok and result.first_bad_seq == 4


def test_record_inserted_after_the_head_is_named(db_factory):
    log = _filled(db_factory, 3)
    with db_factory() as session:
        last = session.get(AuditRecord, 3)
    digest = record_hash(4, last.ts, "note", None, {}, last.hash)
    _sql(db_factory, "INSERT INTO audit_log (seq, ts, kind, municipality, payload, prev_hash, hash) "
                     "VALUES (4, :ts, 'note', NULL, '{}', :prev, :h)", ts=last.ts, prev=last.hash, h=digest)
    result = log.verify()
    assert not result.ok and result.first_bad_seq == 4


def test_appends_continue_after_verification_and_chain_links(db_factory):
    log = _filled(db_factory, 3)
    records = list(log.iter_records())
    assert records[0]["prev_hash"] == audit.GENESIS_HASH
    assert [r["prev_hash"] for r in records[1:]] == [r["hash"] for r in records[:-1]]


# ---------------------------------------------------------------------------
# retention


def test_purge_keeps_the_chain_verifiable(db_factory):
    now = dt.datetime(2031, 6, 1, 12, tzinfo=dt.timezone.utc)
    clock = Clock(now - dt.timedelta(days=400))
    log = AuditLog(db_factory, clock=clock)
    for i in range(5):
        log.record_action(consultant_id="k", citizen_id="C", session_id="s", action="pin", posting_id=f"old{i}")
    clock.now = now - dt.timedelta(days=10)
    for i in range(3):
        _ranking(log, i)
    clock.now = now

    result = log.purge_older_than(365)
    assert (result.deleted, result.anchor_seq, result.actions_deleted) == (5, 5, 5)
    with db_factory() as session:
        assert session.scalar(select(func.min(AuditRecord.seq))) == 6
        assert session.scalar(select(func.count()).select_from(ConsultantAction)) == 0
    check = log.verify()
    assert check.ok and check.anchor_seq == 5 and check.checked == 4  # 3 rankings + the purge record
    purge_record = list(log.iter_records())[-1]
    assert purge_record["kind"] == "purge" and purge_record["payload"]["deleted"] == 5

    assert _ranking(log, 9).seq == 10
    assert log.verify().ok


def test_purge_of_everything_and_again(db_factory):
    now = dt.datetime(2031, 6, 1, tzinfo=dt.timezone.utc)
    clock = Clock(now - dt.timedelta(days=100))
    log = _filled(db_factory, 4)
    log.clock = clock
    clock.now = now + dt.timedelta(days=200)  # everything is older than 30 days now
    first = log.purge_older_than(30)
    assert first.deleted == 4 and log.verify().ok and log.count() == 1  # only the purge record
    clock.now += dt.timedelta(days=100)
    second = log.purge_older_than(30)
    assert second.deleted == 1 and second.anchor_seq == 5
    check = log.verify()
    assert check.ok and check.anchor_seq == 5 and check.checked == 1


def test_nothing_to_purge_changes_nothing(db_factory):
    log = _filled(db_factory, 3)
    result = log.purge_older_than(30)
    assert result.deleted == 0 and result.anchor_seq is None
    assert log.count() == 3 and log.verify().ok


def test_purge_is_refused_on_a_broken_chain(db_factory):
    log = _filled(db_factory, 4)
    _sql(db_factory, "UPDATE audit_log SET kind = 'x' WHERE seq = 2")
    log.clock = Clock(dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1000))
    with pytest.raises(AuditChainBroken) as exc:
        log.purge_older_than(30)
    assert exc.value.result.first_bad_seq == 2
    assert log.count() == 4


def test_tampering_after_a_purge_is_named(db_factory):
    now = dt.datetime(2031, 6, 1, tzinfo=dt.timezone.utc)
    clock = Clock(now - dt.timedelta(days=100))
    log = AuditLog(db_factory, clock=clock)
    for i in range(3):
        _ranking(log, i)
    clock.now = now
    for i in range(3):
        _ranking(log, i)
    log.purge_older_than(50)
    assert log.verify().ok
    _sql(db_factory, "DELETE FROM audit_log WHERE seq = 4")  # the first record after the anchor
    result = log.verify()
    assert not result.ok and result.first_bad_seq == 4


def test_purge_requires_a_positive_number_of_days(db_factory):
    with pytest.raises(ValueError):
        AuditLog(db_factory).purge_older_than(0)


# ---------------------------------------------------------------------------
# pseudonyms


def test_pseudonyms_are_stable_salted_and_separate_by_kind(monkeypatch):
    monkeypatch.setenv("JOBMATCH_PSEUDONYM_SALT", "a" * 32)
    first = pseudonym("citizen", "C00042")
    assert first == pseudonym("citizen", "C00042") and len(first) == 64 and int(first, 16) >= 0
    assert first != pseudonym("consultant", "C00042")
    assert first != pseudonym("citizen", "C00043")
    monkeypatch.setenv("JOBMATCH_PSEUDONYM_SALT", "b" * 32)
    assert pseudonym("citizen", "C00042") != first


def test_pseudonym_refuses_empty_ids_and_weak_salts(monkeypatch):
    monkeypatch.setenv("JOBMATCH_PSEUDONYM_SALT", "a" * 32)
    with pytest.raises(ValueError):
        pseudonym("citizen", "  ")
    with pytest.raises(ValueError):
        pseudonym("Citizen!", "C1")
    monkeypatch.setenv("JOBMATCH_PSEUDONYM_SALT", "short")
    with pytest.raises(audit.PseudonymSaltError):
        pseudonym("citizen", "C1")


def test_salt_file_is_generated_once_with_0600(monkeypatch, tmp_path):
    monkeypatch.delenv("JOBMATCH_PSEUDONYM_SALT", raising=False)
    monkeypatch.setenv("JOBMATCH_DATA_DIR", str(tmp_path / "data"))
    first = pseudonym("citizen", "C1")
    path = audit.salt_path()
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    content = path.read_text()
    audit._salt_cache.clear()
    audit._create_salt_file(path)  # a second process losing the race must not replace the salt
    assert path.read_text() == content
    assert pseudonym("citizen", "C1") == first
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp files left
    # another deployment (another data folder) gets another salt
    audit._salt_cache.clear()
    monkeypatch.setenv("JOBMATCH_DATA_DIR", str(tmp_path / "other"))
    assert pseudonym("citizen", "C1") != first


def test_export_never_contains_the_salt(db_factory, monkeypatch):
    log = _filled(db_factory, 2)
    exported = json.dumps(log.export())
    assert os.environ["JOBMATCH_PSEUDONYM_SALT"] not in exported
    assert json.loads(exported)["verify"]["ok"] is True


# ---------------------------------------------------------------------------
# command line


def test_cli_verify_exit_codes(db_factory, capsys):
    _filled(db_factory)
    assert main(["audit", "verify", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    _sql(db_factory, "DELETE FROM audit_log WHERE seq = 2")
    assert main(["audit", "verify", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False and out["first_bad_seq"] == 2
    assert main(["audit", "verify"]) == 1
    assert "BROKEN at record 2" in capsys.readouterr().out


def test_cli_verify_in_a_subprocess(tmp_path, monkeypatch):
    """The real entry point: exit 0, then 1 after tampering (SQLite only; the CLI tests above cover both)."""
    import subprocess
    import sys

    from jobmatch import db
    from tests.conftest_db import TEST_SALT

    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv("JOBMATCH_PSEUDONYM_SALT", TEST_SALT)
    db.init_db(url)
    factory = db.session_factory(url)
    _filled(factory, 3)
    env = {**os.environ, "JOBMATCH_DATABASE_URL": url}
    ok = subprocess.run([sys.executable, "-m", "jobmatch", "audit", "verify"], capture_output=True, text=True,
                        env=env)
    assert ok.returncode == 0, ok.stderr
    _sql(factory, "UPDATE audit_log SET payload = REPLACE(payload, 'P001', 'P002') WHERE seq = 1")
    bad = subprocess.run([sys.executable, "-m", "jobmatch", "audit", "verify"], capture_output=True, text=True,
                         env=env)
    db.dispose_engines()
    assert bad.returncode == 1 and "record 1" in bad.stdout


def test_cli_export_and_purge(db_factory, capsys):
    _filled(db_factory, 3)
    assert main(["audit", "export", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [r["seq"] for r in doc["records"]] == [1, 2, 3] and doc["head"]["seq"] == 3
    assert main(["audit", "export"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and json.loads(lines[0])["seq"] == 1
    assert main(["audit", "purge", "--days", "30", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["deleted"] == 0
    assert main(["audit", "purge", "--days", "0"]) == 2


def test_cli_purge_refuses_a_broken_chain(db_factory, capsys):
    _filled(db_factory, 3)
    _sql(db_factory, "DELETE FROM audit_log WHERE seq = 2")
    assert main(["audit", "purge", "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["refused"] is True and "nothing was deleted" in captured.err
