"""The LambdaRank estimator, the interactions schema, labels and the split by time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from jobmatch.features import FEATURE_NAMES
from jobmatch.metrics import mean_over_queries, ndcg_at_k, ranked_relevance
from jobmatch.ranker import (
    JobRanker,
    ModelParams,
    SplitConfig,
    TrainConfig,
    TrainingDataError,
    assign_splits,
    check_interactions,
    label_pairs,
    load_train_config,
    split_dates,
)
from tests.ranking_helpers import trained_small

F = len(FEATURE_NAMES)


def log(rows):
    return pd.DataFrame(rows, columns=["citizen_id", "posting_id", "event", "timestamp"])


# -- labels and schema ----------------------------------------------------------------


def test_pairs_get_their_furthest_event_and_first_shown_time():
    pairs = label_pairs(log([
        ("C1", "P1", "shown", "2026-01-05 10:00"), ("C1", "P1", "applied", "2026-01-07"),
        ("C1", "P1", "interview", "2026-01-20"), ("C1", "P2", "shown", "2026-01-05 11:00"),
        ("C1", "P2", "shown", "2026-02-01"), ("C2", "P1", "applied", "2026-03-01"),
        ("C2", "P3", "shown", "2026-03-02"), ("C2", "P3", "applied", "2026-03-03"), ("C2", "P3", "hired", "2026-04-01"),
    ])).set_index(["citizen_id", "posting_id"])
    assert pairs.loc[("C1", "P1"), "grade"] == 2
    assert pairs.loc[("C1", "P2"), "grade"] == 0
    assert pairs.loc[("C2", "P3"), "grade"] == 3
    assert pairs.loc[("C1", "P2"), "shown_at"] == pd.Timestamp("2026-01-05 11:00")  # first showing
    assert pairs.loc[("C2", "P1"), "shown_at"] == pd.Timestamp("2026-03-01")  # never shown: first event


@pytest.mark.parametrize("frame, message", [
    (pd.DataFrame({"citizen_id": ["C1"], "posting_id": ["P1"], "event": ["shown"]}), "timestamp"),
    (log([("C1", "P1", "clicked", "2026-01-01")]), "clicked"),
    (log([("C1", "P1", "shown", "not a date")]), "timestamps"),
    (log([]), "empty"),
])
def test_bad_logs_are_refused_with_a_clear_message(frame, message):
    with pytest.raises(TrainingDataError, match=message):
        check_interactions(frame)


def test_events_are_case_and_space_tolerant():
    out = check_interactions(log([("C1", "P1", " Applied ", "2026-01-01")]))
    assert out["event"].tolist() == ["applied"]


def test_read_interactions_from_csv(tmp_path):
    from jobmatch.ranker import read_interactions

    path = tmp_path / "log.csv"
    log([("C1", "P1", "shown", "2026-01-01T10:00:00")]).to_csv(path, index=False)
    assert len(read_interactions(path)) == 1
    with pytest.raises(TrainingDataError, match="No interactions file"):
        read_interactions(tmp_path / "missing.csv")


# -- the split ------------------------------------------------------------------------


def test_split_by_quantiles_of_shown_time():
    pairs = pd.DataFrame({"shown_at": pd.date_range("2026-01-01", periods=100, freq="D")})
    valid_from, test_from = split_dates(pairs, SplitConfig())
    split = assign_splits(pairs, valid_from, test_from)
    assert split.value_counts().to_dict() == {"train": 69, "valid": 15, "test": 16}
    assert (pairs.loc[split == "train", "shown_at"] < valid_from).all()
    assert (pairs.loc[split == "test", "shown_at"] >= test_from).all()


def test_split_dates_from_config_win():
    pairs = pd.DataFrame({"shown_at": pd.date_range("2026-01-01", periods=10, freq="D")})
    cfg = SplitConfig(valid_from="2026-01-05", test_from="2026-01-08")
    valid_from, test_from = split_dates(pairs, cfg)
    assert assign_splits(pairs, valid_from, test_from).tolist() == ["train"] * 4 + ["valid"] * 3 + ["test"] * 3
    with pytest.raises(TrainingDataError):
        split_dates(pairs, SplitConfig(valid_from="2026-01-08", test_from="2026-01-05"))


def test_train_config_round_trip_and_validation(tmp_path):
    cfg = TrainConfig(params=ModelParams(num_leaves=7, eval_at=(5, 10)), split=SplitConfig(valid_from="2026-01-01",
                                                                                         test_from="2026-02-01"))
    again = TrainConfig.from_dict(cfg.to_dict())
    assert again == cfg
    path = tmp_path / "cfg.json"
    path.write_text('{"params": {"num_leafs": 3}}')
    with pytest.raises(ValueError, match="num_leafs"):
        load_train_config(path)
    assert load_train_config(tmp_path / "absent.json") == TrainConfig()


def test_the_committed_training_config_is_valid():
    from jobmatch import config

    path = config.REPO_ROOT / "models" / "train_config.json"
    if not path.exists():
        pytest.skip("no models/train_config.json yet")
    cfg = load_train_config(path)
    assert cfg.params.n_jobs >= 1 and cfg.params.num_leaves <= 63  # keeps the model file small


# -- the estimator ----------------------------------------------------------------------


def synthetic(n_queries=120, per_query=20, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((n_queries * per_query, F)).astype(np.float32)
    signal = X[:, 0] * 2 + X[:, 3] + rng.normal(0, 0.2, len(X))
    y = np.digitize(signal, [1.6, 2.1, 2.5]).astype(int)  # 0..3
    return X, y, np.full(n_queries, per_query)


def test_init_only_stores_parameters():
    model = JobRanker(num_leaves=7, n_estimators=30)
    assert model.get_params()["num_leaves"] == 7
    assert not [a for a in vars(model) if a.endswith("_")]
    assert clone(model).get_params() == model.get_params()


def test_fit_returns_self_learns_and_is_deterministic():
    X, y, g = synthetic()
    Xv, yv, gv = synthetic(seed=1)
    a = JobRanker(n_estimators=60, num_leaves=7, early_stopping_rounds=10)
    assert a.fit(X, y, g, eval_set=(Xv, yv), eval_group=gv) is a
    assert a.feature_names_ == FEATURE_NAMES and a.n_features_in_ == F and 1 <= a.best_iteration_ <= 60
    b = JobRanker(n_estimators=60, num_leaves=7, early_stopping_rounds=10).fit(X, y, g, eval_set=(Xv, yv),
                                                                              eval_group=gv)
    Xt, yt, gt = synthetic(seed=2)
    assert np.array_equal(a.predict(Xt), b.predict(Xt))
    # it ranks better than chance on fresh data
    scores = a.predict(Xt)
    ends = np.cumsum(gt)
    model_ndcg = mean_over_queries(ndcg_at_k(ranked_relevance(scores[e - n:e], yt[e - n:e]), 10) for e, n in zip(ends, gt))
    rng = np.random.default_rng(3)
    random_ndcg = mean_over_queries(ndcg_at_k(ranked_relevance(rng.random(n), yt[e - n:e]), 10) for e, n in zip(ends, gt))
    assert model_ndcg > random_ndcg + 0.2


def test_fit_refuses_inconsistent_groups():
    X, y, g = synthetic(n_queries=5)
    with pytest.raises(ValueError, match="same rows"):
        JobRanker(n_estimators=5).fit(X, y, g[:-1])
    with pytest.raises(RuntimeError, match="not fitted"):
        JobRanker().predict(X)


def test_model_file_round_trip(tmp_path):
    X, y, g = synthetic(n_queries=40)
    model = JobRanker(n_estimators=20, num_leaves=7, early_stopping_rounds=0).fit(X, y, g)
    model.save_model(tmp_path / "m.txt")
    again = JobRanker.from_model_file(tmp_path / "m.txt")
    assert again.feature_names_ == FEATURE_NAMES
    assert np.allclose(again.predict(X), model.predict(X))


# -- training on the small world -----------------------------------------------------------


def test_training_on_the_small_world(small_world, tmp_path_factory):
    env = trained_small(small_world, tmp_path_factory.getbasetemp() / "ranking")
    meta = env["model"].metadata
    split = meta["split"]
    assert split["valid_from"] < split["test_from"]
    counts = split["counts"]
    assert all(counts[s]["queries"] > 0 for s in ("train", "valid", "test"))
    assert meta["train_config"]["split"]["test_from"] == split["test_from"]  # the cut dates are recorded


def test_training_rows_never_come_from_the_test_period(small_world, tmp_path_factory):
    from jobmatch import world
    from jobmatch.ranker import TrainConfig, prepare

    env = trained_small(small_world, tmp_path_factory.getbasetemp() / "ranking")
    cfg = TrainConfig.from_dict(env["model"].metadata["train_config"])
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env["env"].items():
            mp.setenv(k, v)
        prepared = prepare(small_world, train_config=cfg, index=env["index"])
    data = prepared.data
    pairs = label_pairs(world.load_interactions(small_world)).set_index(["citizen_id", "posting_id"])
    cit = np.repeat(data.query_citizen, data.group)
    split = np.repeat(data.query_split, data.group)
    shown = pairs.loc[list(zip(cit, data.posting_ids)), "shown_at"].to_numpy()
    assert (shown[split == "train"] < np.datetime64(prepared.valid_from)).all()
    assert (shown[split == "test"] >= np.datetime64(prepared.test_from)).all()
    # queries are contiguous: one block per citizen and split
    keys = list(zip(data.query_citizen, data.query_split))
    assert len(keys) == len(set(keys))
