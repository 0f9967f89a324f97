"""Batch scoring on Dask: same results as the single-process ranking, one thread per worker, state loaded once."""

from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd
import pytest

from jobmatch import batch
from tests.ranking_helpers import trained_small


@pytest.fixture(scope="module")
def trained(small_world, tmp_path_factory) -> dict:
    return trained_small(small_world, tmp_path_factory.getbasetemp() / "ranking")


@pytest.fixture(scope="module")
def env(trained):
    with pytest.MonkeyPatch.context() as mp:
        for key, value in trained["env"].items():
            mp.setenv(key, value)
        yield trained


@pytest.fixture(scope="module")
def client(env):
    """A LocalCluster with 2 single-threaded worker processes, shared by the module's tests."""
    from distributed import Client

    cluster = batch.make_cluster(2)
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def municipality(env) -> int:
    """The small world's municipality with the most citizens."""
    from jobmatch import world

    return int(world.load_citizens(env["world"])["municipality_code"].value_counts().index[0])


def single_process(engine, world_folder, citizen_ids: list[str], top: int) -> pd.DataFrame:
    """The reference: each citizen ranked with RankingEngine.rank in this process, profile parsed here."""
    from jobmatch import world
    from jobmatch.ranker import profile_from_cv_text

    citizens = world.load_citizens(world_folder).set_index("citizen_id", drop=False)
    rows = []
    for cid in citizen_ids:
        c = citizens.loc[cid]
        settings = batch.citizen_settings(c, as_of="2026-11-01")
        result = engine.rank(profile_from_cv_text(str(c["cv_text"]), str(c["cv_lang"])), settings, top=top)
        rows += [(cid, i, r["posting_id"], r["score"]) for i, r in enumerate(result.results, start=1)]
    return pd.DataFrame(rows, columns=["citizen_id", "rank", "posting_id", "score"])


def test_dask_results_equal_the_single_process_ranking(env, client, municipality, tmp_path):
    out = tmp_path / "top.parquet"
    rows, report = batch.run_batch([municipality], top=5, client=client, out=out, chunk_size=3, limit=8,
                                   as_of="2026-11-01")
    chosen = batch.select_citizens([municipality], env["world"])["citizen_id"].head(8).tolist()
    expected = single_process(env["engine"], env["world"], chosen, top=5)

    assert report["citizens"] == 8 and report["workers"] == 2 and report["tasks"] == 3
    assert len(expected) > 0
    assert rows["citizen_id"].tolist() == expected["citizen_id"].tolist()
    assert rows["posting_id"].tolist() == expected["posting_id"].tolist()
    assert rows["rank"].tolist() == expected["rank"].tolist()
    np.testing.assert_allclose(rows["score"].to_numpy(), expected["score"].to_numpy(), rtol=0, atol=1e-9)
    assert set(rows["model_version"]) == {env["model"].version}

    written = pd.read_parquet(out)
    assert list(written.columns) == list(batch.OUTPUT_COLUMNS)
    pd.testing.assert_frame_equal(written, rows)
    # every citizen gets at most K rows, ranked 1..n without gaps
    for _cid, part in written.groupby("citizen_id"):
        assert part["rank"].tolist() == list(range(1, len(part) + 1)) and len(part) <= 5
        assert part["score"].is_monotonic_decreasing


def test_workers_are_single_threaded_and_load_their_state_once(env, client, municipality):
    batch.run_batch([municipality], top=3, client=client, chunk_size=2, limit=6)
    assert set(client.nthreads().values()) == {1}
    env_threads = client.run(lambda: {k: os.environ.get(k) for k in batch.SINGLE_THREAD_ENV})
    assert all(v == batch.SINGLE_THREAD_ENV for v in env_threads.values())
    # glibc keeps its adaptive mmap threshold (Dask's MALLOC_TRIM_THRESHOLD_ costs ~40 % CPU here)
    assert set(client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_")).values()) == {None}

    def state_ids() -> tuple[int, int, int | None]:
        from jobmatch import batch as b

        (state,) = b._STATE.values()  # exactly one cached state per worker
        return id(state.engine.index), id(state.profiles), state.engine.predict_threads

    before = client.run(state_ids)
    batch.run_batch([municipality], top=3, client=client, chunk_size=2, limit=6)
    after = client.run(state_ids)
    assert before == after  # the index and profiles were not loaded again
    assert {v[2] for v in after.values()} == {1}  # LightGBM predicts with one thread


def test_a_task_carries_ids_not_data(env, municipality):
    import pickle

    spec = batch.make_spec(10)
    ids = batch.select_citizens([municipality], env["world"])["citizen_id"].head(25).tolist()
    assert len(pickle.dumps((spec, ids))) < 4000  # paths, versions and 25 ids; no index, no CV text
    assert "cv_text" not in pickle.dumps(spec).decode("latin-1")


def test_cli_batch_on_an_existing_cluster(env, client, municipality, tmp_path, capsys):
    from jobmatch.cli import main

    out = tmp_path / "cli.parquet"
    code = main(["batch", "--municipality", str(municipality), "--top", "3", "--scheduler",
                 client.scheduler.address, "--out", str(out), "--limit", "4", "--json", "--quiet"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["citizens"] == 4 and report["workers"] == 2
    assert {"citizens", "seconds", "citizens_per_second", "workers"} <= set(report)
    written = pd.read_parquet(out)
    assert written["citizen_id"].nunique() == 4 and written.groupby("citizen_id").size().max() <= 3


@pytest.mark.parametrize("argv, message", [
    (["--municipality", "999"], "unknown municipality"),
    (["--municipality", "101", "--top", "0"], "--top"),
    (["--municipality", "101", "--as-of", "yesterday"], "--as-of"),
    (["--municipality", "101", "--chunk-size", "0"], "--chunk-size"),
])
def test_cli_batch_bad_input_is_one_line(env, tmp_path, capsys, argv, message):
    from jobmatch.cli import main

    code = main(["batch", *argv, "--out", str(tmp_path / "x.parquet"), "--workers", "1", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_cli_batch_refuses_a_non_parquet_output_before_any_work(env, tmp_path, capsys):
    from jobmatch.cli import main

    code = main(["batch", "--municipality", "101", "--out", str(tmp_path / "top.csv"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and ".parquet" in err and not (tmp_path / "top.csv").exists()


def test_cli_batch_without_a_model_says_so(env, tmp_path, monkeypatch, capsys):
    from jobmatch.cli import main

    monkeypatch.setenv("JOBMATCH_MODELS_DIR", str(tmp_path / "no-models"))
    code = main(["batch", "--municipality", "101", "--out", str(tmp_path / "x.parquet"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "model" in err.lower() and "Traceback" not in err


def test_chunks_keep_order_and_cover_every_citizen():
    ids = [f"C{i:03d}" for i in range(11)]
    chunks = batch.chunked(ids, 4)
    assert [len(c) for c in chunks] == [4, 4, 3]
    assert [c for part in chunks for c in part] == ids


def test_citizen_settings_use_their_own_mode_minutes_and_hours():
    row = pd.Series({"home_postcode": 2400, "transport_mode": "bike", "max_minutes": 30, "hours_wanted": "any"})
    s = batch.citizen_settings(row, as_of="2026-11-01")
    assert (s.home_postcode, s.mode, s.max_minutes, s.hours, s.as_of) == (2400, "bike", 30.0, None, "2026-11-01")
    row["hours_wanted"] = "part"
    assert batch.citizen_settings(row).hours == "part"
