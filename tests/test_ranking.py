"""The serving pipeline and the ranking commands (rank, model, bench) on the small world."""

from __future__ import annotations

import json

import numpy as np
import pytest

from jobmatch import config
from jobmatch.cli import main
from jobmatch.features import FEATURE_NAMES, encode_profile, overlap_scores
from jobmatch.ranking import NOTICE_NO_MODEL, NOTICE_RULE, RankingEngine
from jobmatch.retrieval import SearchSettings
from tests.ranking_helpers import make_profile

PERSONA = config.personas_dir() / "lagermedarbejder.pdf"


@pytest.fixture(scope="module")
def citizen(small_world):
    from jobmatch import world
    from jobmatch.ranker import profile_from_cv_text

    c = world.load_citizens(small_world).iloc[3]
    settings = SearchSettings(int(c.home_postcode), "car", 60, hours="full", as_of="2026-11-01")
    return profile_from_cv_text(c.cv_text, c.cv_lang), settings


def test_rank_returns_the_documented_fields(small_model, citizen):
    profile, settings = citizen
    result = small_model["engine"].rank(profile, settings, top=10)
    assert 0 < len(result.results) <= 10 and result.method == "model"
    for r in result.results:
        assert set(r) == {"posting_id", "title", "employer", "postcode", "travel_minutes", "score", "reasons"}
        assert r["travel_minutes"] <= 60 and r["reasons"] == []
    scores = [r["score"] for r in result.results]
    assert scores == sorted(scores, reverse=True)
    assert set(result.timing_ms) == {"retrieval", "features", "predict", "total"}
    rows = small_model["index"].rows_of([r["posting_id"] for r in result.results])
    assert small_model["index"].is_open[rows].all()
    assert result.to_dict()["model_version"] == small_model["model"].version


def test_ranking_is_deterministic(small_model, citizen):
    profile, settings = citizen
    a = small_model["engine"].rank(profile, settings, top=20)
    b = small_model["engine"].rank(profile, settings, top=20)
    assert [r["posting_id"] for r in a.results] == [r["posting_id"] for r in b.results]


def test_rank_with_features_matches_the_ranking(small_model, citizen):
    profile, settings = citizen
    ranked = small_model["engine"].rank_with_features(profile, settings, top=5)
    assert ranked.features.shape == (len(ranked.result.results), len(FEATURE_NAMES))
    assert list(small_model["index"].posting_ids[ranked.rows]) == [r["posting_id"] for r in ranked.result.results]
    again = small_model["model"].ranker.predict(ranked.features)
    assert np.allclose(again, [r["score"] for r in ranked.result.results], atol=1e-4)
    assert ranked.candidate_features.shape[0] == ranked.candidate_rows.size == ranked.candidate_scores.size


def test_stop_switch_ranks_by_the_rule_score(small_model, citizen):
    profile, settings = citizen
    result = small_model["engine"].rank(profile, settings, top=10, use_model=False)
    assert result.method == "rule" and NOTICE_RULE in result.notices and result.model_version is None
    q = encode_profile(profile, small_model["index"])
    rows = small_model["index"].rows_of([r["posting_id"] for r in result.results])
    assert np.allclose([r["score"] for r in result.results], overlap_scores(small_model["index"], q.has, rows), atol=1e-4)


def test_without_a_model_the_engine_falls_back_with_a_notice(small_model, citizen):
    profile, settings = citizen
    result = RankingEngine(small_model["index"], None).rank(profile, settings)
    assert result.method == "rule" and NOTICE_NO_MODEL in result.notices


def test_nothing_in_range(small_model):
    far = SearchSettings(3700, "walk", 5, as_of="2026-11-01")  # Rønne, on foot
    result = small_model["engine"].rank(make_profile(["sk_kundeservice"]), far)
    assert result.results == [] and "no_postings_in_range" in result.notices


# -- the commands ---------------------------------------------------------------------


def test_rank_command_json(use_small_model, capsys):
    assert main(["rank", str(PERSONA), "--postcode", "2400", "--mode", "bike", "--max-minutes", "30", "--top", "5",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"results", "timing_ms"} and len(out["results"]) <= 5
    assert all(r["travel_minutes"] <= 30 for r in out["results"])
    assert set(out["timing_ms"]) >= {"retrieval", "features", "predict", "total"}


@pytest.mark.parametrize("args, message", [
    (["rank", "missing.pdf", "--postcode", "2400"], "findes ikke"),
    (["rank", str(PERSONA), "--postcode", "12"], "postnummer"),
    (["rank", str(PERSONA), "--postcode", "2400", "--top", "0"], "--top"),
])
def test_rank_command_bad_input_is_one_line(use_small_model, capsys, args, message):
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1 and "Traceback" not in err


def test_rank_command_refuses_a_file_that_is_not_a_cv(use_small_model, tmp_path, capsys):
    bad = tmp_path / "cv.pdf"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    assert main(["rank", str(bad), "--postcode", "2400"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_model_info_and_ensure(use_small_model, capsys):
    assert main(["model", "info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["compatible"] and info["version"] == use_small_model["model"].version
    assert info["feature_names"] == list(FEATURE_NAMES)
    assert main(["model", "ensure"]) == 0
    assert "nothing to do" in capsys.readouterr().out


def test_bench_command_json(use_small_model, capsys):
    assert main(["bench", "--json", "--postings", "500", "3000", "--queries", "3", "--repeats", "1", "--quiet"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["postings"] for r in out["runs"]] == [500, 3000]
    for r in out["runs"]:
        for key in ("p50_ms", "p95_ms", "retrieval_ms", "features_ms", "predict_ms", "ratio_to_predict", "naive_ratio"):
            assert key in r and (r[key] is None or r[key] >= 0), key
    assert out["rss_mb"] > 0


def test_train_command_on_a_municipality_log(use_small_model, tmp_path, capsys):
    from jobmatch import world
    from tests.ranking_helpers import SMALL_TRAIN_CONFIG

    log_path = tmp_path / "log.csv"
    world.load_interactions(use_small_model["world"]).to_csv(log_path, index=False)
    cfg = tmp_path / "cfg.json"
    cfg.write_text(json.dumps(SMALL_TRAIN_CONFIG))
    out = tmp_path / "registry"
    assert main(["train", "--interactions", str(log_path), "--out", str(out), "--config", str(cfg), "--quiet",
                 "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (out / "model.txt").exists() and summary["metrics"]["model"]["ndcg@10"] > 0
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["interactions_source"] == "log.csv"


def test_train_command_refuses_a_bad_log(use_small_model, tmp_path, capsys):
    bad = tmp_path / "log.csv"
    bad.write_text("citizen,posting\nC1,P1\n")
    assert main(["train", "--interactions", str(bad), "--out", str(tmp_path / "m"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "citizen_id" in err and len(err.strip().splitlines()) == 1


def test_model_ensure_trains_when_no_compatible_model(use_small_model, tmp_path, monkeypatch, capsys):
    from tests.ranking_helpers import SMALL_TRAIN_CONFIG

    folder = tmp_path / "models"
    folder.mkdir()
    (folder / "train_config.json").write_text(json.dumps(SMALL_TRAIN_CONFIG))
    monkeypatch.setenv("JOBMATCH_MODELS_DIR", str(folder))
    assert main(["model", "ensure", "--quiet"]) == 0
    assert (folder / "model.txt").exists() and (folder / "MODEL_CARD.md").exists()
    capsys.readouterr()
    assert main(["model", "ensure"]) == 0
    assert "nothing to do" in capsys.readouterr().out
