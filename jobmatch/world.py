"""Read access to the built data world: postings, citizens, interactions.

The demo world is written by :mod:`jobmatch.demo.build` into
``config.world_dir()`` as Parquet files; a municipality's real data (imported
postings and interaction logs) uses the same tables and columns. Everything
downstream — retrieval, features, training, the app — reads through here.

Tables
------
``postings``      posting_id, title, occupation_id, isco, industry, employer,
                  postcode, municipality_code, description, lang, hours
                  ('full'|'part'), weekly_hours, posted_date, deadline,
                  status ('open'|'closed')
``citizens``      citizen_id, home_postcode, municipality_code, transport_mode,
                  hours_wanted ('full'|'part'|'any'), cv_lang, cv_text
``interactions``  citizen_id, posting_id, event ('shown'|'applied'|'interview'|'hired'),
                  timestamp
``citizen_audit`` citizen_id, gender, age_band, origin — protected attributes,
                  kept apart for fairness reports only; never a model input.

``generator_truth/`` holds what the simulator knew (true competences, true
requirements, hidden utility). Nothing outside :mod:`jobmatch.demo` reads it;
a test enforces that, so no model can learn from the simulator's secrets.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

from jobmatch import config

TABLES = ("postings", "citizens", "interactions", "citizen_audit")

#: graded relevance used for training and evaluation (hired > interview > applied > shown)
EVENT_GRADES: dict[str, int] = {"shown": 0, "applied": 1, "interview": 2, "hired": 3}


class WorldMissingError(FileNotFoundError):
    """The data world has not been built (run ``python -m jobmatch data build``)."""


def world_path(folder: Path | None = None) -> Path:
    return Path(folder) if folder is not None else config.world_dir()


def manifest(folder: Path | None = None) -> dict:
    path = world_path(folder) / "manifest.json"
    if not path.exists():
        raise WorldMissingError(
            f"No data world in {path.parent}. Run: python -m jobmatch data build"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def exists(folder: Path | None = None) -> bool:
    base = world_path(folder)
    return (base / "manifest.json").exists() and all((base / f"{t}.parquet").exists() for t in TABLES)


@lru_cache(maxsize=16)
def _load(folder: str, table: str, mtime: float) -> pd.DataFrame:
    return pd.read_parquet(Path(folder) / f"{table}.parquet")


def load_table(table: str, folder: Path | None = None) -> pd.DataFrame:
    """Load one table (cached per process; reloaded when the file changes)."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; expected one of {TABLES}")
    base = world_path(folder)
    path = base / f"{table}.parquet"
    if not path.exists():
        raise WorldMissingError(f"No {table} table in {base}. Run: python -m jobmatch data build")
    return _load(str(base), table, path.stat().st_mtime)


def load_postings(folder: Path | None = None, *, open_only: bool = False) -> pd.DataFrame:
    postings = load_table("postings", folder)
    if open_only:
        postings = postings[postings["status"] == "open"].reset_index(drop=True)
    return postings


def load_citizens(folder: Path | None = None) -> pd.DataFrame:
    return load_table("citizens", folder)


def load_interactions(folder: Path | None = None) -> pd.DataFrame:
    return load_table("interactions", folder)


def load_citizen_audit(folder: Path | None = None) -> pd.DataFrame:
    """Protected attributes for fairness reports. Never join these into model features."""
    return load_table("citizen_audit", folder)


def frame_hash(df: pd.DataFrame) -> str:
    """A content hash of a DataFrame, independent of the Parquet writer's metadata."""
    h = hashlib.sha256()
    h.update(",".join(map(str, df.columns)).encode())
    h.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    return h.hexdigest()


def data_version(folder: Path | None = None) -> str:
    return manifest(folder)["data_version"]


def world_stats(folder: Path | None = None) -> dict:
    """Key figures of the built world (the ``data stats`` command and the start page)."""
    from jobmatch import geo
    from jobmatch.taxonomy import load_taxonomy

    info = manifest(folder)
    postings = load_postings(folder)
    citizens = load_citizens(folder)
    interactions = load_interactions(folder)
    tax = load_taxonomy()
    postcodes = geo.load_postcodes()
    municipalities = geo.load_municipalities()
    events = interactions["event"].value_counts()
    ts = pd.to_datetime(interactions["timestamp"])
    return {
        "postings": int((postings["status"] == "open").sum()),
        "postings_total": int(len(postings)),
        "citizens": int(len(citizens)),
        "interactions": int(len(interactions)),
        "interactions_by_event": {e: int(events.get(e, 0)) for e in EVENT_GRADES},
        "interaction_months": int(round((ts.max() - ts.min()).days / 30.44)) if len(ts) else 0,
        "occupations": int(len(tax.occupations)),
        "competences": int(len(tax.competences)),
        "personal_competences": int((tax.competences["kind"] == "personal").sum()),
        "postcodes": int(len(postcodes)),
        "municipalities": int(len(municipalities)),
        "pilot_municipalities": int(municipalities["is_pilot"].sum()),
        "english_cv_share": round(float((citizens["cv_lang"] == "en").mean()), 3),
        "english_posting_share": round(float((postings["lang"] == "en").mean()), 3),
        "seed": int(info["seed"]),
        "data_version": info["data_version"],
        "reference_date": info["reference_date"],
    }
