"""Importing real postings and interaction logs: every bad row is rejected with a reason, good rows
land in the world's tables, and nothing is dropped silently."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from jobmatch import imports, world
from jobmatch.cli import main
from jobmatch.imports import ImportFileError, import_interactions, import_postings

AS_OF = dt.date(2026, 10, 10)
DESC = ("Vi søger en engageret medarbejder til et godt arbejdsmiljø med søde kolleger. "
        "Du skal have erfaring og kunne arbejde selvstændigt.")


def posting(**overrides) -> dict:
    row = {"posting_id": "JN-1", "title": "Social- og sundhedsassistent", "description": DESC,
           "employer": "Plejecenter Valby", "address": "Valby Langgade 1", "postcode": "2500",
           "occupation": "5321", "hours": "37", "posted_date": "2026-10-01", "deadline": "2026-11-15",
           "lang": "da", "url": "https://job.example.dk/1"}
    row.update(overrides)
    return row


#: (row, field, code) - each bad row has exactly one problem
BAD_ROWS = [
    (posting(posting_id="B1", title=""), "title", "missing"),
    (posting(posting_id="B2", postcode="9999"), "postcode", "unknown_postcode"),
    (posting(posting_id="B3", deadline="2026-09-01"), "deadline", "before_posted"),
    (posting(posting_id="B4", posted_date="2026/10/01"), "posted_date", "bad_date_format"),
    (posting(posting_id="B5", posted_date="2026-02-30"), "posted_date", "bad_date"),
    (posting(posting_id="JN-1", title="Dublet"), "posting_id", "duplicate_id"),
    (posting(posting_id="B7", description="For kort."), "description", "too_short"),
    (posting(posting_id="B8", description="x" * (imports.MAX_DESCRIPTION + 1)), "description", "too_long"),
    (posting(posting_id="B9", hours="ofte"), "hours", "bad_hours"),
    (posting(posting_id="B10", lang="de"), "lang", "unsupported"),
    (posting(posting_id="B11", employer=""), "employer", "missing"),
    (posting(posting_id="B12", isco="12AB"), "isco", "bad_isco"),
    (posting(posting_id="B 13"), "posting_id", "bad_id"),
]

GOOD_ROWS = [
    posting(),
    posting(posting_id="JN-2", title="Erfaren tømrer søges", occupation="", postcode="2300", hours="fuldtid",
            posted_date="01-10-2026", deadline="snarest", lang="", url=""),
    posting(posting_id="JN-3", title="Quantum astrolog", occupation="", hours="deltid", postcode="2900",
            deadline="2026-10-05", url="not a url"),
    posting(posting_id="JN-4", title="Lagermedarbejder", occupation="", isco="9333", hours="20-25",
            postcode="2650", description="<p>Vi søger en <b>lagermedarbejder</b> &amp; pakker.</p>" + DESC),
]


def write_csv(path: Path, rows: list[dict], delimiter: str = ",", bom: bool = False) -> Path:
    fields = list(dict.fromkeys(k for r in rows for k in r))
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_jsonl(path: Path, rows: list, extra_lines: list[str] = ()) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in rows] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def world_copy(small_world, tmp_path) -> Path:
    target = tmp_path / "world"
    shutil.copytree(small_world, target)
    return target


# --- postings: row validation -----------------------------------------------------


def test_each_bad_row_is_rejected_with_its_reason(tmp_path):
    path = write_jsonl(tmp_path / "p.jsonl", GOOD_ROWS[:1] + [r for r, _, _ in BAD_ROWS])
    report = import_postings(path, out=tmp_path / "w", as_of=AS_OF)
    assert report.accepted == 1 and report.rejected == len(BAD_ROWS)
    for number, (_, field, code) in enumerate(BAD_ROWS, start=2):
        issues = [(i.field, i.code) for i in report.errors if i.row == number]
        assert issues == [(field, code)], (number, issues)


def test_nothing_is_dropped_silently(tmp_path):
    path = write_jsonl(tmp_path / "p.jsonl", GOOD_ROWS + [r for r, _, _ in BAD_ROWS],
                       extra_lines=["{not json", "[1, 2]", "", json.dumps(posting(posting_id="L1", title=["a"]))])
    report = import_postings(path, out=tmp_path / "w", as_of=AS_OF)
    assert report.rows == len(GOOD_ROWS) + len(BAD_ROWS) + 3  # the blank line is not a row
    assert report.accepted + report.rejected == report.rows
    rejected_rows = {i.row for i in report.errors}
    assert len(rejected_rows) == report.rejected
    unreadable = [i for i in report.errors if i.code == "unreadable"]
    assert len(unreadable) == 2
    assert any(i.field == "title" and i.code == "not_text" for i in report.errors)


def test_good_rows_are_normalised(tmp_path):
    path = write_jsonl(tmp_path / "p.jsonl", GOOD_ROWS)
    report = import_postings(path, out=tmp_path / "w", as_of=AS_OF)
    assert report.accepted == 4 and report.rejected == 0
    p = world.load_postings(tmp_path / "w").set_index("posting_id")
    assert p.loc["JN-1", "occupation_id"] == "occ_social_og_sundhedsassistent"
    assert p.loc["JN-1", "isco"] == "5321" and p.loc["JN-1", "municipality_code"] == 101
    assert p.loc["JN-2", "occupation_id"] == "occ_toemrer"  # from the title
    assert p.loc["JN-2", "deadline"] == pd.Timestamp("2026-11-12")  # 'snarest' → posted + 42 days
    assert p.loc["JN-2", "posted_date"] == pd.Timestamp("2026-10-01")  # day-first Danish date
    assert p.loc["JN-2", "lang"] == "da"  # detected
    assert p.loc["JN-3", "occupation_id"] == "" and p.loc["JN-3", "isco"] == ""  # kept, occupation unknown
    assert p.loc["JN-3", "status"] == "closed" and p.loc["JN-1", "status"] == "open"
    assert (p.loc["JN-3", "hours"], p.loc["JN-3", "weekly_hours"]) == ("part", imports.PART_TIME_DEFAULT_HOURS)
    assert p.loc["JN-3", "url"] == ""  # bad url left out, with a warning
    assert (p.loc["JN-4", "hours"], p.loc["JN-4", "weekly_hours"]) == ("part", 22)
    assert p.loc["JN-4", "isco"] == "9333"
    assert "<" not in p.loc["JN-4", "description"] and "lagermedarbejder & pakker" in p.loc["JN-4", "description"]
    codes = {(i.row, i.field, i.code) for i in report.warnings}
    assert (2, "deadline", "assumed") in codes
    assert (3, "occupation", "unknown_occupation") in codes
    assert (3, "url", "bad_url") in codes


def test_schema_matches_the_demo_world(tmp_path, small_world):
    import_postings(write_jsonl(tmp_path / "p.jsonl", GOOD_ROWS), out=tmp_path / "w", as_of=AS_OF)
    mine = world.load_postings(tmp_path / "w")
    demo = world.load_postings(small_world)
    for col in demo.columns:
        assert mine[col].dtype == demo[col].dtype, col
    assert set(mine.columns) == set(demo.columns) | {"address", "url"}
    assert world.exists(tmp_path / "w")  # the other tables are written empty


def test_strict_occupation_rejects_unknown(tmp_path):
    path = write_jsonl(tmp_path / "p.jsonl", GOOD_ROWS)
    report = import_postings(path, out=tmp_path / "w", as_of=AS_OF, strict_occupation=True)
    assert report.accepted == 3
    assert [(i.row, i.code) for i in report.errors] == [(3, "unknown_occupation")]


def test_csv_with_semicolons_and_bom_equals_jsonl(tmp_path):
    rows = GOOD_ROWS + [r for r, _, _ in BAD_ROWS[:4]]
    a = import_postings(write_csv(tmp_path / "p.csv", rows, delimiter=";", bom=True), out=tmp_path / "a",
                        as_of=AS_OF)
    b = import_postings(write_jsonl(tmp_path / "p.jsonl", rows), out=tmp_path / "b", as_of=AS_OF)
    assert (a.accepted, a.rejected) == (b.accepted, b.rejected) == (4, 4)
    # CSV rows are numbered as a spreadsheet shows them (header = row 1), JSON lines by line
    assert [{**i.to_dict(), "row": i.row - 1} for i in a.errors] == [i.to_dict() for i in b.errors]
    pd.testing.assert_frame_equal(world.load_postings(tmp_path / "a"), world.load_postings(tmp_path / "b"))


def test_csv_row_with_wrong_number_of_values(tmp_path):
    path = write_csv(tmp_path / "p.csv", GOOD_ROWS[:1])
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("JN-9,only,three\n")
    report = import_postings(path, out=tmp_path / "w", as_of=AS_OF, dry_run=True)
    assert report.accepted == 1 and report.errors[0].row == 3 and report.errors[0].code == "unreadable"
    assert not (tmp_path / "w").exists()  # dry run writes nothing


@pytest.mark.parametrize("content, suffix, message", [
    ("title,description\nA,B\n", ".csv", "no column"),
    ('[{"posting_id": "1"}]', ".jsonl", "JSON array"),
    ("", ".csv", "empty"),
    ("posting_id\n1\n", ".xlsx", "cannot tell the format"),
])
def test_bad_files(tmp_path, content, suffix, message):
    path = tmp_path / f"p{suffix}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFileError, match=message):
        import_postings(path, out=tmp_path / "w", as_of=AS_OF)


def test_not_utf8_is_a_bad_file(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes("posting_id,title\n1,Tømrer\n".encode("cp1252"))
    with pytest.raises(ImportFileError, match="UTF-8"):
        import_postings(path, out=tmp_path / "w", as_of=AS_OF)


# --- postings: writing into a world ---------------------------------------------------


def test_import_into_demo_world_keeps_other_tables(world_copy, tmp_path):
    before = {t: len(world.load_table(t, world_copy)) for t in ("citizens", "interactions", "citizen_audit")}
    report = import_postings(write_jsonl(tmp_path / "p.jsonl", GOOD_ROWS), out=world_copy, as_of=AS_OF)
    assert any("simulated postings" in n for n in report.notes)
    assert len(world.load_postings(world_copy)) == 4
    assert {t: len(world.load_table(t, world_copy)) for t in before} == before
    manifest = world.manifest(world_copy)
    assert manifest["simulated"] is False
    assert manifest["sources"] == {"postings": "import", "citizens": "demo", "interactions": "demo",
                                   "citizen_audit": "demo"}
    assert manifest["imports"][-1]["accepted"] == 4
    assert not (world_copy / "generator_truth").exists()  # the simulator's truth no longer describes the postings


def test_data_build_does_not_overwrite_an_imported_world(world_copy, tmp_path):
    from jobmatch.demo.build import build_world
    from tests.conftest import SMALL_WORLD

    import_postings(write_jsonl(tmp_path / "p.jsonl", GOOD_ROWS), out=world_copy, as_of=AS_OF)
    info = build_world(seed=7, size=SMALL_WORLD, folder=world_copy, progress=False)
    assert info["built"] is False
    assert len(world.load_postings(world_copy)) == 4


def test_second_import_merges_by_id_and_replace_replaces(tmp_path):
    out = tmp_path / "w"
    import_postings(write_jsonl(tmp_path / "a.jsonl", GOOD_ROWS[:2]), out=out, as_of=AS_OF)
    update = [posting(title="Social- og sundhedsassistent, nat"), posting(posting_id="JN-9", postcode="2000")]
    report = import_postings(write_jsonl(tmp_path / "b.jsonl", update), out=out, as_of=AS_OF)
    p = world.load_postings(out).set_index("posting_id")
    assert sorted(p.index) == ["JN-1", "JN-2", "JN-9"]
    assert p.loc["JN-1", "title"] == "Social- og sundhedsassistent, nat"
    assert report.table_rows_after == 3 and "1 updated" in report.notes[0]
    import_postings(write_jsonl(tmp_path / "c.jsonl", update[1:]), out=out, as_of=AS_OF, replace=True)
    assert world.load_postings(out)["posting_id"].tolist() == ["JN-9"]
    assert len(world.manifest(out)["imports"]) == 3


# --- interactions ---------------------------------------------------------------


def interaction(**overrides) -> dict:
    row = {"citizen_id": "pseud-7f3a", "posting_id": "JN-1", "event": "shown", "timestamp": "2026-10-02T09:30:00"}
    row.update(overrides)
    return row


def test_interactions_are_validated(tmp_path):
    out = tmp_path / "w"
    import_postings(write_jsonl(tmp_path / "p.jsonl", GOOD_ROWS), out=out, as_of=AS_OF)
    rows = [
        interaction(),
        interaction(event="søgt", timestamp="2026-10-03T10:00:00+02:00"),
        interaction(event="clicked"),
        interaction(timestamp="yesterday"),
        interaction(posting_id="JN-404"),
        interaction(citizen_id="010190-1234"),
        interaction(),  # duplicate of row 2
        interaction(timestamp="2027-01-01T00:00:00"),
        interaction(citizen_id=""),
    ]
    report = import_interactions(write_jsonl(tmp_path / "i.jsonl", rows), out=out, as_of=AS_OF)
    assert report.accepted == 2
    assert [(i.row, i.field, i.code) for i in report.errors] == [
        (3, "event", "unknown_event"), (4, "timestamp", "bad_timestamp_format"),
        (5, "posting_id", "unknown_posting"), (6, "citizen_id", "looks_like_cpr"), (7, "-", "duplicate_row"),
        (8, "timestamp", "future"), (9, "citizen_id", "missing")]
    assert "010190" not in json.dumps(report.to_dict())  # a CPR number is never echoed
    table = world.load_interactions(out)
    assert table["event"].tolist() == ["shown", "applied"]
    assert table["timestamp"].dtype == "datetime64[ms]"
    assert table["timestamp"].iloc[1] == pd.Timestamp("2026-10-03 10:00:00")  # Danish local time
    # importing the same file again adds nothing
    again = import_interactions(write_jsonl(tmp_path / "i.jsonl", rows[:2]), out=out, as_of=AS_OF)
    assert again.accepted == 0 and {i.code for i in again.errors} == {"already_imported"}
    assert again.exit_code == 1


def test_interactions_replace_simulated_ones(world_copy, tmp_path):
    import_postings(write_jsonl(tmp_path / "p.jsonl", GOOD_ROWS), out=world_copy, as_of=AS_OF)
    report = import_interactions(write_jsonl(tmp_path / "i.jsonl", [interaction()]), out=world_copy, as_of=AS_OF)
    assert any("simulated interactions" in n for n in report.notes)
    assert len(world.load_interactions(world_copy)) == 1
    assert world.manifest(world_copy)["sources"]["interactions"] == "import"


def test_interactions_need_postings_first(tmp_path):
    with pytest.raises(ImportFileError, match="import postings first"):
        import_interactions(write_jsonl(tmp_path / "i.jsonl", [interaction()]), out=tmp_path / "empty")


# --- the command line ---------------------------------------------------------------


def test_cli_exit_codes_and_json(tmp_path, capsys):
    good = write_jsonl(tmp_path / "good.jsonl", GOOD_ROWS + [BAD_ROWS[0][0]])
    assert main(["import", "postings", str(good), "--out", str(tmp_path / "w"), "--as-of", "2026-10-10",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["accepted"], out["rejected"]) == (4, 1)
    assert out["errors"][0] == {"row": 5, "field": "title", "code": "missing", "message": "title is missing"}

    bad = write_jsonl(tmp_path / "bad.jsonl", [r for r, _, _ in BAD_ROWS[:3]])
    assert main(["import", "postings", str(bad), "--out", str(tmp_path / "w2")]) == 1
    text = capsys.readouterr().out
    assert "0 accepted, 3 rejected" in text and "rejected row 1, title: title is missing" in text

    assert main(["import", "postings", str(tmp_path / "missing.csv")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_cli_report_file_lists_every_row(tmp_path, capsys):
    rows = [posting(posting_id=f"X{i}", postcode="9999") for i in range(150)]
    report_path = tmp_path / "report.json"
    assert main(["import", "postings", str(write_jsonl(tmp_path / "p.jsonl", rows)), "--out", str(tmp_path / "w"),
                 "--report", str(report_path)]) == 1
    assert "and 50 more rejected lines" in capsys.readouterr().out
    assert len(json.loads(report_path.read_text(encoding="utf-8"))["errors"]) == 150
