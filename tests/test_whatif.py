"""What-if: actionable changes only, computed by re-ranking; monotone where it must be; deterministic."""

from __future__ import annotations

import json

import pytest

from jobmatch import explain, whatif
from jobmatch.cli import main
from jobmatch.features import profile_competence_ids
from jobmatch.retrieval import SearchSettings
from jobmatch.whatif import Change, ProtectedAttributeError, WhatIfError
from tests.ranking_helpers import make_profile


@pytest.fixture(scope="module")
def queries():
    return explain.demo_queries()


# ---------------------------------------------------------------------------
# only actionable changes


@pytest.mark.parametrize("kind", ["age", "alder", "gender", "køn", "sex", "origin", "oprindelse", "ethnicity",
                                  "name", "navn", "nationality", "birth_date", "fødselsdato", "set_age",
                                  "set-gender", "change_origin", "religion", "disability", "marital_status",
                                  "address", "cpr", "Nationality"])
def test_protected_attributes_are_refused(kind):
    with pytest.raises(ProtectedAttributeError) as exc:
        Change(kind, "anything")
    message = str(exc.value)
    assert "never" in message and "aldrig" in message and "add_competence" in message


@pytest.mark.parametrize("kind, value", [
    ("set_salary", 40000), ("add_competence", "sk_no_such_thing"), ("set_mode", "helicopter"),
    ("set_max_minutes", -5), ("set_max_minutes", "far"), ("set_hours", "sometimes"),
])
def test_other_changes_are_refused_with_a_clear_error(kind, value):
    with pytest.raises(WhatIfError) as exc:
        Change(kind, value)
    assert not isinstance(exc.value, ProtectedAttributeError)
    assert str(exc.value)


def test_competences_are_resolved_from_ids_and_labels():
    assert Change("add_competence", "sk_truckcertifikat").value == "sk_truckcertifikat"
    assert Change("add_competence", "Kørekort C").value == "sk_koerekort_c"
    assert Change("add_competence", "forklift certificate").value == "sk_truckcertifikat"
    with pytest.raises(WhatIfError, match="sk_truckcertifikat"):
        Change("add_competence", "sk_truckcert")  # a near miss gets a suggestion


def test_changes_apply_to_copies():
    profile = make_profile(["sk_lagerarbejde"], licences=("B",))
    settings = SearchSettings(2400, "public", 45)
    changes = [Change("add_competence", "sk_koerekort_c"), Change("add_competence", "sk_truckcertifikat"),
               Change("set_max_minutes", 60), Change("set_mode", "bike"), Change("set_hours", "part")]
    new_profile, new_settings = whatif.apply_changes(profile, settings, changes)
    assert {"sk_koerekort_c", "sk_truckcertifikat"} <= new_profile.competence_ids()
    assert "C" in new_profile.licences and "sk_truckcertifikat" in new_profile.certificates
    assert (new_settings.max_minutes, new_settings.mode, new_settings.hours) == (60.0, "bike", "part")
    assert profile.competence_ids() == {"sk_lagerarbejde", "sk_dansk"} and settings.max_minutes == 45
    back, _ = whatif.apply_changes(new_profile, new_settings, [Change("remove_competence", "sk_koerekort_c")])
    assert "sk_koerekort_c" not in back.competence_ids() and "C" not in back.licences
    with pytest.raises(WhatIfError, match="already"):
        whatif.apply_changes(profile, settings, [Change("add_competence", "sk_lagerarbejde")])
    with pytest.raises(WhatIfError, match="not in the profile"):
        whatif.apply_changes(profile, settings, [Change("remove_competence", "sk_truckcertifikat")])


# ---------------------------------------------------------------------------
# re-ranking on the small world


def test_what_if_compares_two_real_rankings(small_model, queries):
    q = queries[0]
    cid = whatif.missing_requirements(small_model["engine"], small_model["engine"].rank_with_features(q.profile, q.settings, 50),
                                      profile_competence_ids(q.profile, small_model["index"]), pool=50)[0][0]
    result = whatif.what_if(q.profile, q.settings, [Change("add_competence", cid)], engine=small_model["engine"], top=50)
    base = small_model["engine"].rank(q.profile, q.settings, 50)
    assert result.before.top_ids == [r["posting_id"] for r in base.results]
    changed, _ = whatif.apply_changes(q.profile, q.settings, result.changes)
    after = small_model["engine"].rank(changed, q.settings, 50)
    assert result.after.top_ids == [r["posting_id"] for r in after.results]
    assert {e["posting_id"] for e in result.entering} == set(result.after.top_ids) - set(result.before.top_ids)
    assert {e["posting_id"] for e in result.leaving} == set(result.before.top_ids) - set(result.after.top_ids)
    assert result.in_range_change == 0  # a competence does not move the postings
    n = result.jobs_gained
    assert result.text.startswith("Med ") and f"top 50" in result.text and str(n) in result.text
    assert result.text_en.startswith("With ")
    json.dumps(result.to_dict())


def test_adding_a_required_credential_never_lowers_the_jobs_requiring_it_in_the_top_50(small_model, queries):
    engine = small_model["engine"]
    tried = 0
    for q in queries:
        ranked = engine.rank_with_features(q.profile, q.settings, 50)
        has = profile_competence_ids(q.profile, engine.index)
        col_of = engine.index.column_of()
        credentials = [c for c, _n in whatif.missing_requirements(engine, ranked, has, pool=50)
                       if engine.index.is_credential[col_of[c]]][:2]
        for cid in credentials:
            result = whatif.what_if(q.profile, q.settings, [Change("add_competence", cid)], engine=engine, top=50,
                                    base=ranked.result)
            assert result.after.requiring >= result.before.requiring, (q.persona_id, cid, result.to_dict())
            tried += 1
    assert tried >= 5


def test_a_larger_travel_limit_never_gives_fewer_postings_in_range(small_model, queries):
    for q in queries[::3]:
        counts = []
        for minutes in (15, 30, 45, 60, 90):
            result = whatif.what_if(q.profile, q.settings, [Change("set_max_minutes", minutes)],
                                    engine=small_model["engine"], top=20)
            counts.append(result.after.in_range)
        assert counts == sorted(counts), (q.persona_id, counts)
        assert counts[-1] > counts[0]


def test_suggestions_are_computed_ranked_and_deterministic(small_model, queries):
    engine = small_model["engine"]
    for q in queries[:4]:
        first = whatif.suggest_whatifs(q.profile, q.settings, engine=engine, top=50)
        again = whatif.suggest_whatifs(q.profile, q.settings, engine=engine, top=50)
        assert [r.to_dict() for r in first] == [r.to_dict() for r in again]
        assert 3 <= len(first) <= 5
        gained = [r.jobs_gained for r in first]
        assert gained == sorted(gained, reverse=True)
        kinds = {c.kind for r in first for c in r.changes}
        assert kinds <= set(whatif.CHANGE_KINDS)
        has = profile_competence_ids(q.profile, engine.index)
        for r in first:
            assert r.text and r.text_en
            for c in r.changes:
                if c.kind == "add_competence":
                    assert c.value not in has  # only what is missing
                if c.kind == "set_mode" and c.value == "car":
                    assert "sk_koerekort_b" in has  # a car only with a licence


def test_no_car_suggestion_without_a_driving_licence(small_model):
    profile = make_profile(["sk_lagerarbejde"])
    assert "sk_koerekort_b" not in profile.competence_ids()
    results = whatif.suggest_whatifs(profile, SearchSettings(2400, "walk", 20), engine=small_model["engine"], top=20)
    assert not any(c.kind == "set_mode" and c.value == "car" for r in results for c in r.changes)


# ---------------------------------------------------------------------------
# the command


def test_whatif_command(use_small_model, capsys):
    from jobmatch import personas

    persona = personas.get_persona("lagermedarbejder")
    base = ["whatif", str(persona.path), "--postcode", str(persona.postcode), "--mode", "public", "--max-minutes", "30"]
    assert main([*base, "--add", "sk_koerekort_c", "--set-max-minutes", "45", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    (only,) = doc["whatifs"]
    assert [c["kind"] for c in only["changes"]] == ["add_competence", "set_max_minutes"]
    assert only["after"]["in_range"] >= only["before"]["in_range"] and only["sentence"] == only["text"]
    assert main([*base, "--json", "--lang", "en", "--limit", "3"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["suggested"] and 1 <= len(doc["whatifs"]) <= 3
    assert all(w["sentence"] == w["text_en"] for w in doc["whatifs"])


@pytest.mark.parametrize("extra, message", [
    (["--add", "sk_flyvning_til_maanen"], "unknown competence"),
    (["--remove", "sk_svejsecertifikat"], "not in the profile"),
    (["--top", "0"], "--top"),
])
def test_whatif_command_bad_input_is_one_line(use_small_model, capsys, extra, message):
    from jobmatch import personas

    persona = personas.get_persona("lagermedarbejder")
    assert main(["whatif", str(persona.path), "--postcode", "2605", *extra]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1 and "Traceback" not in err


def test_whatif_command_offers_no_protected_attributes():
    from jobmatch.cli import build_parser, iter_commands

    parser = dict(iter_commands(build_parser()))[("whatif",)]
    options = {o for a in parser._actions for o in a.option_strings}
    assert not any(term in o for o in options for term in ("age", "gender", "origin", "name", "nation", "birth"))
