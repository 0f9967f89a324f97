"""Transparency documents: every file is produced, complete, readable; the citizen page is plain Danish."""

from __future__ import annotations

import json
import re

import pytest

from jobmatch import fairness, transparency
from jobmatch.readability import lix, plain_text
from tests.ranking_helpers import trained_small


@pytest.fixture(scope="module")
def trained(small_world, tmp_path_factory) -> dict:
    return trained_small(small_world, tmp_path_factory.getbasetemp() / "ranking")


@pytest.fixture(scope="module")
def env(trained):
    with pytest.MonkeyPatch.context() as mp:
        for key, value in trained["env"].items():
            mp.setenv(key, value)
        for name in ("EMAIL", "WEBSITE", "OWNER", "TEAM", "PHONE", "CODEBASE"):
            mp.delenv(f"JOBMATCH_PUBLISHER_{name}", raising=False)
        yield trained


@pytest.fixture(scope="module")
def report(env) -> dict:
    """A real (small, quick) fairness report of the small model."""
    return fairness.fairness_report(env["world"], n_boot=100, sample=40, invariance_citizens=1, personas=False,
                                    gbm=False)


@pytest.fixture(scope="module")
def built(env, report, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("docs")
    written = transparency.build_documents(out, fairness=report)
    return {"out": out, "written": written, "report": report, "model": env["model"]}


def test_every_document_is_written_and_not_empty(built):
    names = {doc.filename for doc in transparency.DOCUMENTS}
    assert set(built["written"]) == names
    for name in names:
        path = built["out"] / name
        assert path.is_file() and path.stat().st_size > 200, name


@pytest.mark.parametrize("doc", [d for d in transparency.DOCUMENTS if d.kind == "markdown"], ids=lambda d: d.filename)
def test_markdown_documents_have_their_headings(built, doc):
    text = (built["out"] / doc.filename).read_text(encoding="utf-8")
    headings = transparency.markdown_headings(text)
    for required in doc.required:
        assert any(h.startswith(required) for h in headings), f"{doc.filename}: no heading {required!r}"


@pytest.mark.parametrize("doc", [d for d in transparency.DOCUMENTS if d.kind == "json"], ids=lambda d: d.filename)
def test_json_documents_have_their_fields(built, doc):
    data = json.loads((built["out"] / doc.filename).read_text(encoding="utf-8"))
    for key in doc.required:
        assert data.get(key) not in (None, "", [], {}), f"{doc.filename}: {key} is empty"


def test_model_card_describes_this_model_and_its_groups(built):
    card = (built["out"] / "model_card.md").read_text(encoding="utf-8")
    meta = built["model"].metadata
    assert meta["version"] in card and meta["data_version"] in card
    for scope in ("sanctions", "rådighedsvurdering", "benefit decisions", "risk scores", "automated decision"):
        assert scope in card
    assert "simulated" in card
    # metrics against baselines from the metadata, per-group results from the report
    assert f"{meta['metrics']['model']['ndcg@10']:.3f}" in card
    assert f"{meta['metrics']['baselines']['overlap']['ndcg@10']:.3f}" in card
    report = built["report"]
    assert f"{report['exposure_ratio_min']:.3f}" in card
    female = report["groups"]["gender"]["female"]["ndcg@10"]
    assert f"{female['value']:.3f} [{female['ci95'][0]:.3f}, {female['ci95'][1]:.3f}]" in card
    assert "| women |" in card and "| non-Western origin |" in card or "non_western" not in report["groups"]["origin"]


def test_datasheet_says_what_is_simulated_with_the_worlds_counts(built, env):
    from jobmatch import world

    sheet = (built["out"] / "datasheet.md").read_text(encoding="utf-8")
    stats = world.world_stats(env["world"])
    assert "Everything in it is simulated" in sheet
    assert f"{stats['citizens']:,}" in sheet and f"{stats['postings_total']:,}" in sheet
    assert stats["data_version"] in sheet
    assert "docs/data.md" in sheet
    audit = world.load_citizen_audit(env["world"])
    assert f"women {int((audit['gender'] == 'female').sum()):,}" in sheet


def test_instructions_cover_reading_disagreeing_overriding_and_stopping(built):
    text = (built["out"] / "instructions_for_use.md").read_text(encoding="utf-8")
    for words in ("Hvorfor?", "Skjul", "Ikke relevant", "Sæt på joblisten", "Flyt", "Tilføj et job med hånden",
                  "Stopknap: brug ikke modellen", "JOBMATCH_STOP_MODEL", "rådighedsvurderinger"):
        assert words in text, words


def test_citizen_page_is_plain_danish_and_names_the_rights(built):
    text = (built["out"] / "citizen_information.md").read_text(encoding="utf-8")
    assert lix(text) < 40
    lower = text.lower()
    for word in ("navn", "køn", "alder", "kommer fra", "helbred", "indsigelse", "forklaring", "menneske",
                 "sige nej"):
        assert word in lower, word
    # no jargon a citizen would stumble over
    for jargon in ("model", "algoritme", "feature", "score", "NDCG"):
        assert jargon.lower() not in lower.replace("jobmatch", ""), jargon


def test_citizen_pdf_prints_danish_letters(built):
    from io import BytesIO

    from pypdf import PdfReader

    data = (built["out"] / "citizen_information.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    pdf_text = "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    for word in ("Sådan bruger vi jobmatch", "Du kan sige nej", "helbred", "Hvad gør jobmatch?", "rækkefølge"):
        assert word in pdf_text, word
    assert all(ch in pdf_text for ch in "æøå")
    # the same page gives the same bytes (the generated documents are committed)
    md = (built["out"] / "citizen_information.md").read_text(encoding="utf-8")
    assert transparency.citizen_information_pdf(md) == data


def test_atrs_record_has_every_tier_field(built):
    record = json.loads((built["out"] / "atrs.json").read_text(encoding="utf-8"))
    assert record["standard_version"] == "3.0"
    for field in transparency.ATRS_TIER1_FIELDS:
        assert record["tier_1"].get(field), field
    for section, fields in transparency.ATRS_TIER2_FIELDS.items():
        for field in fields:
            assert field in record["tier_2"][section], (section, field)
    model = record["tier_2"]["tool_specification"]["models"][0]
    assert set(transparency.ATRS_MODEL_FIELDS) <= set(model)
    assert model["model_version"] == built["model"].version
    assert len(record["tier_2"]["risks_mitigations_and_impact_assessments"]["risks"]) >= 4
    # what the municipality must still fill in is listed, not hidden
    assert "contact_email" in record["to_complete"] and record["tier_1"]["contact_email"] == transparency.TO_FILL


def test_eurocities_record_has_the_required_attributes(built):
    record = json.loads((built["out"] / "eurocities_register.json").read_text(encoding="utf-8"))
    for attr in transparency.EUROCITIES_REQUIRED:
        assert record.get(attr) not in (None, ""), attr
    assert record["standard_version"] == "0.3.1"
    assert record["domain"] == "work and career" and record["risk_category"] == "high risk"
    assert record["status"] in {"planned", "design", "development", "pilot", "evaluation", "operational", "retired"}
    assert record["algorithm_type"] in {"self-learning", "rule-based", "hybrid"}
    assert record["type"] in {"descriptive", "diagnostic", "predictive", "prescriptive"}
    assert 500 <= len(record["description"]) <= 10_000
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["revision_date"])


def test_publisher_details_come_from_the_environment(env, tmp_path, monkeypatch):
    monkeypatch.setenv("JOBMATCH_PUBLISHER_EMAIL", "jobmatch@kk.example")
    monkeypatch.setenv("JOBMATCH_PUBLISHER_TEAM", "Jobcenter København, Digitalisering")
    ctx = transparency.collect()
    record = transparency.eurocities_record(ctx)
    assert record["contact_email"] == "jobmatch@kk.example"
    assert record["department"] == "Jobcenter København, Digitalisering"
    assert "contact_email" not in record["to_complete"] and "website" in record["to_complete"]
    assert "jobmatch@kk.example" in transparency.render_citizen_information(ctx)


def test_manifest_and_staleness(built, env, tmp_path):
    import shutil

    assert transparency.stale(built["out"]) == []
    manifest = transparency.read_manifest(built["out"])
    assert manifest["model_version"] == built["model"].version
    assert manifest["fairness_report"]["model_version"] == built["model"].version
    copy = tmp_path / "copy"
    shutil.copytree(built["out"], copy)
    (copy / "datasheet.md").write_text("edited by hand\n", encoding="utf-8")
    assert any("changed by hand" in p for p in transparency.stale(copy))
    (copy / "atrs.json").unlink()
    assert any("atrs.json is missing" in p for p in transparency.stale(copy))
    assert transparency.stale(tmp_path / "nothing") == [
        "the documents have not been generated: python -m jobmatch docs build"]
    # another installed model makes them stale
    assert any("installed model is None" in p for p in transparency.stale(built["out"], tmp_path / "no-models"))


def test_documents_without_a_model_or_report_say_so(env, tmp_path):
    out = transparency.build_documents(tmp_path / "docs", models_folder=tmp_path / "no-models")
    card = out["model_card.md"].read_text(encoding="utf-8")
    assert "No ranking model is installed" in card
    assert "No fairness report is available" in out["fairness_report.md"].read_text(encoding="utf-8")
    assert json.loads(out["fairness_report.json"].read_text(encoding="utf-8"))["exposure_ratio_min"] is None


def test_registry_card_section_only_for_the_same_model(built):
    meta = built["model"].metadata
    section = transparency.registry_card_section(meta, built["report"])
    assert section.startswith("## Results per group") and "| Attribute | Exposure ratio" in section
    other = transparency.registry_card_section({"version": "another"}, built["report"])
    assert "No fairness report for this model version" in other


def test_cli_docs_build(built, env, tmp_path, capsys):
    from jobmatch import cli

    saved = fairness.save_report(built["report"], tmp_path / "fairness-report.json")
    out = tmp_path / "generated"
    assert cli.main(["docs", "build", "--out", str(out), "--fairness", str(saved), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["fairness_report"] is True
    assert set(printed["files"]) == {d.filename for d in transparency.DOCUMENTS}
    (tmp_path / "bad.json").write_text("[]", encoding="utf-8")
    assert cli.main(["docs", "build", "--out", str(out), "--fairness", str(tmp_path / "bad.json")]) == 2
    assert "not a fairness report" in capsys.readouterr().err


# ---------------------------------------------------------------------------
# readability


def test_lix_of_markdown_by_hand():
    # 9 words, 3 sentences ("Overskrift" as a heading becomes its own), 1 long word
    assert lix("# Overskrift\n\nDu kan sige nej. Det er din ret.") == pytest.approx(round(9 / 3 + 100 * 1 / 9, 1))
    assert plain_text("## Titel\n\n- **fed** [link](http://x)\n| a | b |\n|---|---|") == "Titel.\nfed link\na b."
    long_text = "Arbejdsmarkedsforholdene kompliceres betydeligt " * 5
    assert lix(long_text) > 55


def test_the_transparency_page_data_says_whether_the_documents_are_current(built, env, tmp_path):
    from jobmatch import oversight

    current = oversight.render_gennemsigtighed("da", folder=built["out"])
    assert not current["stale"] and built["model"].version in current["status"]
    docs = {d["filename"]: d for d in current["documents"]}
    assert set(docs) == {d.filename for d in transparency.DOCUMENTS} - {"manifest.json"}
    assert isinstance(docs["citizen_information.pdf"]["content"], bytes)
    assert docs["model_card.md"]["content"].startswith("# Model card")
    other = oversight.render_gennemsigtighed("en", folder=built["out"], models_folder=tmp_path / "no-models")
    assert other["stale"] and "but the installed model is None" in other["status"]
    none = oversight.render_gennemsigtighed("da", folder=tmp_path / "empty")
    assert none["stale"] and "docs build" in none["status"]
    assert not any(d["exists"] for d in none["documents"])
