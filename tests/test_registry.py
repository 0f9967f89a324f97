"""The model registry: save, load, refuse incompatible models, archive and restore versions."""

from __future__ import annotations

import json

import numpy as np
import pytest

from jobmatch import registry
from jobmatch.features import FEATURE_NAMES
from jobmatch.ranker import JobRanker


def tiny_model(seed: int = 0) -> JobRanker:
    rng = np.random.default_rng(seed)
    X = rng.random((400, len(FEATURE_NAMES))).astype(np.float32)
    y = (X[:, 0] * 3).astype(int)
    return JobRanker(n_estimators=15, num_leaves=5, early_stopping_rounds=0, random_state=seed).fit(
        X, y, np.full(20, 20))


METRICS = {"model": {"ndcg@5": 0.5, "ndcg@10": 0.6, "map@10": 0.4, "recall@10": 0.8, "recall@50": 1.0, "mrr": 0.5},
           "baselines": {"tfidf": {"ndcg@5": 0.4, "ndcg@10": 0.5, "map@10": 0.3, "recall@10": 0.7,
                                   "recall@50": 1.0, "mrr": 0.4}},
           "ndcg@10_gain_ci95": [0.05, 0.15], "best_baseline": "tfidf", "beats_every_baseline": True}


def save(folder, seed=0):
    return registry.save_model(tiny_model(seed), {"data_version": "abc", "simulated_data": True, "metrics": METRICS,
                                                  "train_config": {"params": {"num_leaves": 5}},
                                                  "split": {"valid_from": "2026-01-01", "test_from": "2026-02-01"}},
                               folder)


def test_save_and_load(tmp_path):
    saved = save(tmp_path)
    loaded = registry.load_model(tmp_path)
    assert loaded.version == saved.version and loaded.ranker.feature_names_ == FEATURE_NAMES
    meta = json.loads((tmp_path / registry.METADATA_FILE).read_text())
    for key in ("version", "created_at", "feature_names", "data_version", "metrics", "model_sha256", "model_bytes",
                "best_iteration", "code_version", "train_config"):
        assert key in meta, key
    assert meta["model_sha256"] == registry.file_sha256(tmp_path / registry.MODEL_FILE)
    X = np.random.default_rng(1).random((5, len(FEATURE_NAMES))).astype(np.float32)
    assert np.allclose(loaded.ranker.predict(X), saved.ranker.predict(X))


def test_model_card_is_generated_from_the_metadata(tmp_path):
    save(tmp_path)
    card = (tmp_path / registry.CARD_FILE).read_text()
    meta = json.loads((tmp_path / registry.METADATA_FILE).read_text())
    assert meta["version"] in card
    for phrase in ("Intended use", "Out of scope", "sanctions", "rådighedsvurdering", "automated decision",
                   "simulated", "0.600", "[0.050, 0.150]"):
        assert phrase in card, phrase
    assert card == registry.render_model_card(meta)


def test_missing_model(tmp_path):
    with pytest.raises(registry.ModelMissingError, match="model ensure"):
        registry.load_model(tmp_path)
    assert not registry.is_compatible(tmp_path)
    assert registry.model_info(tmp_path)["present"] is False


def test_load_refuses_another_feature_list(tmp_path):
    save(tmp_path)
    meta_path = tmp_path / registry.METADATA_FILE
    meta = json.loads(meta_path.read_text())
    meta["feature_names"] = meta["feature_names"][:-1] + ["shoe_size"]
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(registry.ModelCompatibilityError, match="shoe_size"):
        registry.load_model(tmp_path)
    info = registry.model_info(tmp_path)
    assert info["present"] and not info["compatible"] and "shoe_size" in info["problem"]


def test_load_refuses_a_model_file_with_other_features(tmp_path):
    save(tmp_path)
    model_path = tmp_path / registry.MODEL_FILE
    text = model_path.read_text()
    model_path.write_text(text.replace(FEATURE_NAMES[0], "renamed_feature"))
    with pytest.raises(registry.ModelCompatibilityError, match="model file"):
        registry.load_model(tmp_path)


def test_reordered_features_are_refused():
    with pytest.raises(registry.ModelCompatibilityError, match="order"):
        registry.check_compatible({"feature_names": list(reversed(FEATURE_NAMES))})


def test_new_models_archive_the_old_and_a_version_can_be_restored(tmp_path):
    first = save(tmp_path, seed=0)
    second = save(tmp_path, seed=1)
    assert first.version != second.version
    versions = [v["version"] for v in registry.list_versions(tmp_path)]
    assert versions == [first.version]
    restored = registry.restore_version(first.version, tmp_path)
    assert restored.version == first.version
    assert {v["version"] for v in registry.list_versions(tmp_path)} == {first.version, second.version}
    with pytest.raises(registry.ModelMissingError, match="known versions"):
        registry.restore_version("nope", tmp_path)


def test_the_committed_default_model_is_compatible_and_small():
    from jobmatch import config

    folder = config.REPO_ROOT / "models"
    if not (folder / registry.MODEL_FILE).exists():
        pytest.skip("no default model committed yet (python -m jobmatch model ensure)")
    loaded = registry.load_model(folder)
    assert (folder / registry.MODEL_FILE).stat().st_size < 2 * 1024 * 1024
    assert loaded.metadata["simulated_data"] is True
    assert (folder / registry.CARD_FILE).read_text() == registry.render_model_card(loaded.metadata)
