"""The occupation transition graph: formula checked by hand, properties, sensible neighbours, CLI."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from jobmatch.cli import main
from jobmatch.taxonomy import Taxonomy, load_taxonomy
from jobmatch.transitions import (
    NESTA_HIGHLY_VIABLE,
    NESTA_MIN_VIABLE,
    TransitionConfig,
    UnknownOccupationError,
    build_graph,
    taxonomy_fingerprint,
    transition_graph,
)

# ---------------------------------------------------------------------------
# a toy taxonomy small enough to compute by hand


def toy_taxonomy(relations: list[tuple[str, str, str]], personal: tuple[str, ...] = ()) -> Taxonomy:
    occ_ids = sorted({o for o, _, _ in relations})
    comp_ids = sorted({c for _, c, _ in relations})
    occ = pd.DataFrame([{"occupation_id": o, "isco": "9999", "title_da": o, "title_en": o, "alt_titles_da": "",
                         "alt_titles_en": "", "industry": "x", "education_level": "eud"} for o in occ_ids])
    comp = pd.DataFrame([{"competence_id": c, "label_da": c, "label_en": c, "synonyms_da": "", "synonyms_en": "",
                          "kind": "personal" if c in personal else "professional", "group": "S1"} for c in comp_ids])
    rel = pd.DataFrame(relations, columns=["occupation_id", "competence_id", "relation"])
    ind = pd.DataFrame([{"industry": "x", "label_da": "x", "label_en": "x"}])
    return Taxonomy(occ, comp, rel, ind, source="toy")


def idf(n: int, df: int) -> float:
    return math.log((1 + n) / (1 + df)) + 1


def test_formula_by_hand():
    # A: x essential, y essential; B: x essential, z optional; C: y optional
    tax = toy_taxonomy([("A", "x", "essential"), ("A", "y", "essential"),
                        ("B", "x", "essential"), ("B", "z", "optional"),
                        ("C", "y", "optional")])
    g = build_graph(tax, TransitionConfig())
    wx, wy, wz = idf(3, 2), idf(3, 2), idf(3, 1)
    # A → B: shared x at min(1, 1) = 1; B's mass = wx·1 + wz·0.5
    assert g.sim("A", "B") == pytest.approx(wx / (wx + 0.5 * wz))
    # B → A: shared x; A's mass = wx + wy
    assert g.sim("B", "A") == pytest.approx(wx / (wx + wy))
    # A → C: y is essential for A, optional for C: min(1, 0.5) = 0.5 of C's mass 0.5·wy
    assert g.sim("A", "C") == pytest.approx(1.0)
    # C → A: C brings y only at the optional level
    assert g.sim("C", "A") == pytest.approx(0.5 * wy / (wx + wy))
    assert g.sim("B", "C") == 0.0 and g.sim("C", "B") == 0.0


def test_personal_competences_count_less():
    # both pairs share one competence with the same document frequency; one is personal
    rel = [("P1", "team", "essential"), ("P2", "team", "essential"),
           ("Q1", "weld", "essential"), ("Q2", "weld", "essential")]
    rel += [(o, f"own_{o}", "essential") for o in ("P1", "P2", "Q1", "Q2")]
    g = build_graph(toy_taxonomy(rel, personal=("team",)), TransitionConfig(personal_weight=0.25))
    assert g.sim("P1", "P2") < g.sim("Q1", "Q2")
    w_team, w_own = 0.25 * idf(4, 2), idf(4, 1)
    assert g.sim("P1", "P2") == pytest.approx(w_team / (w_team + w_own))


def test_rare_competences_count_more():
    # "common" is required by every occupation, "rare" by two
    rel = [(o, "common", "essential") for o in ("A", "B", "C", "D")]
    rel += [("A", "rare", "essential"), ("B", "rare", "essential"), ("C", "other", "essential"),
            ("D", "other", "essential")]
    rel += [("A", "onlyA", "essential"), ("B", "onlyB", "essential")]
    g = build_graph(toy_taxonomy(rel))
    # B shares 'common' and 'rare' with A; C shares only 'common' with A
    assert g.sim("B", "A") > g.sim("C", "A") > 0
    assert g.weights[g.competence_index("rare")] > g.weights[g.competence_index("common")]


# ---------------------------------------------------------------------------
# properties on the bundled taxonomy


@pytest.fixture(scope="module")
def graph():
    return transition_graph()


def test_self_similarity_is_one_and_values_are_bounded(graph):
    assert np.allclose(np.diag(graph.similarity), 1.0)
    assert graph.similarity.min() >= 0.0 and graph.similarity.max() <= 1.0 + 1e-12


def test_shared_part_is_symmetric_but_similarity_is_not(graph):
    s, m = graph.similarity, graph.mass
    shared = s * m[None, :]
    assert np.allclose(shared, shared.T)
    assert not np.allclose(s, s.T)  # asymmetric, as documented


def test_sensible_neighbours(graph):
    close = [
        ("occ_lagermedarbejder", "occ_truckfoerer"),
        ("occ_lagermedarbejder", "occ_lagerarbejder"),
        ("occ_social_og_sundhedshjaelper", "occ_social_og_sundhedsassistent"),
        ("occ_kok", "occ_koekkenassistent"),
    ]
    for a, b in close:
        assert graph.sim(a, b) >= NESTA_MIN_VIABLE, (a, b)
        assert graph.sim(b, a) >= NESTA_MIN_VIABLE, (b, a)
    top3 = graph.neighbours("occ_lagermedarbejder", top=3)["occupation_id"].tolist()
    assert {"occ_truckfoerer", "occ_lagerarbejder"} <= set(top3)
    assert "occ_koekkenassistent" in graph.neighbours("occ_kok", top=3)["occupation_id"].tolist()
    # and distant ones are far apart
    for a, b in [("occ_kok", "occ_softwareudvikler"), ("occ_toemrer", "occ_sygeplejerske"),
                 ("occ_lagermedarbejder", "occ_advokat")]:
        assert graph.sim(a, b) < 0.1, (a, b)


def test_neighbours_sorted_without_self(graph):
    table = graph.neighbours("occ_kok", top=20)
    assert "occ_kok" not in set(table["occupation_id"])
    sims = table["similarity"].to_numpy()
    assert (np.diff(sims) <= 0).all()
    assert set(table["viability"]) <= {"highly_viable", "viable", "stretch"}
    assert (table.loc[table["similarity"] >= NESTA_HIGHLY_VIABLE, "viability"] == "highly_viable").all()


def test_ties_are_broken_by_id():
    # B and C are identical copies: equally close to A, so they come in id order
    rel = [("A", "x", "essential"), ("B", "x", "essential"), ("C", "x", "essential"),
           ("B", "y", "essential"), ("C", "z", "essential")]
    g = build_graph(toy_taxonomy(rel))
    assert g.sim("A", "B") == g.sim("A", "C")
    assert g.neighbours("A")["occupation_id"].tolist()[:2] == ["B", "C"]


def test_edges_respect_threshold(graph):
    edges = graph.edges()
    assert (edges["similarity"] >= graph.config.viable).all()
    assert (edges["origin"] != edges["destination"]).all()
    assert len(edges) == int(((graph.similarity >= graph.config.viable)).sum() - len(graph.occupation_ids))


def test_deterministic():
    tax = load_taxonomy()
    a, b = build_graph(tax), build_graph(tax)
    assert np.array_equal(a.similarity, b.similarity)
    assert a.fingerprint == b.fingerprint == taxonomy_fingerprint(tax)


def test_cached_per_taxonomy():
    assert transition_graph() is transition_graph()
    toy = toy_taxonomy([("A", "x", "essential"), ("B", "x", "optional")])
    toy_graph = transition_graph(toy)
    assert toy_graph is not transition_graph()
    assert list(toy_graph.occupation_ids) == ["A", "B"]
    assert transition_graph(toy_taxonomy([("A", "x", "essential"), ("B", "x", "optional")])) is toy_graph


# ---------------------------------------------------------------------------
# configuration


def test_thresholds_default_to_the_research_and_can_be_tuned(monkeypatch):
    cfg = TransitionConfig.from_env()
    assert (cfg.viable, cfg.highly_viable) == (0.3, 0.4)
    assert cfg.viability(0.45) == "highly_viable" and cfg.viability(0.35) == "viable"
    assert cfg.viability(0.1) == "stretch"
    monkeypatch.setenv("JOBMATCH_TRANSITION_VIABLE", "0.25")
    monkeypatch.setenv("JOBMATCH_TRANSITION_HIGHLY_VIABLE", "0.5")
    tuned = TransitionConfig.from_env()
    assert (tuned.viable, tuned.highly_viable) == (0.25, 0.5)
    monkeypatch.setenv("JOBMATCH_TRANSITION_VIABLE", "lots")
    with pytest.raises(ValueError, match="JOBMATCH_TRANSITION_VIABLE"):
        TransitionConfig.from_env()


@pytest.mark.parametrize("kwargs", [{"viable": 0.5, "highly_viable": 0.4}, {"optional_weight": 2.0},
                                    {"personal_weight": -1}])
def test_bad_config_is_refused(kwargs):
    with pytest.raises(ValueError):
        TransitionConfig(**kwargs)


def test_unknown_occupation_suggests(graph):
    with pytest.raises(UnknownOccupationError) as exc:
        graph.sim("kok", "occ_kok")
    assert "occ_kok" in exc.value.suggestions
    assert "occ_kok" in str(exc.value)


# ---------------------------------------------------------------------------
# CLI


def test_cli_transitions_json(capsys):
    assert main(["transitions", "--from", "occ_kok", "--top", "5", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["from"] == "occ_kok" and doc["label"] == "Kok"
    assert doc["thresholds"] == {"viable": 0.3, "highly_viable": 0.4}
    assert len(doc["neighbours"]) == 5
    first = doc["neighbours"][0]
    assert set(first) == {"occupation_id", "label", "isco", "similarity", "reverse", "viability"}
    assert first["occupation_id"] == "occ_koekkenassistent"


def test_cli_transitions_unknown_id(capsys):
    assert main(["transitions", "--from", "occ_nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("jobmatch: Unknown occupation") and err.count("\n") == 1
