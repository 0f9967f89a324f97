"""ESCO group classifier: taxonomy look-up, the trained model, the CLI and the measured quality."""

from __future__ import annotations

import subprocess
import sys

import pytest

from jobmatch import config
from jobmatch.classify import (
    GroupModel,
    classify_phrase,
    classify_phrases,
    get_classifier,
    read_seeds,
    training_examples,
)
from jobmatch.taxonomy import GROUPS, load_taxonomy


def group_of(competence_id: str) -> str:
    return load_taxonomy().competence(competence_id)["group"]


@pytest.mark.parametrize(
    "phrase, competence_id",
    [
        ("mødestabil", "sk_moedestabil"),
        ("truckcertifikatet", "sk_truckcertifikat"),
        ("personlige pleje", "sk_personlig_pleje"),
        ("gode samarbejdsevner", "sk_samarbejde"),
        ("Microsoft Excel", "sk_excel"),
    ],
)
def test_lookup_returns_the_taxonomy_group(phrase, competence_id):
    assert get_classifier().lookup(phrase, "da") == group_of(competence_id)
    assert classify_phrase(phrase, "da") == group_of(competence_id)


def test_lookup_needs_the_phrase_to_be_mostly_the_competence():
    # "Excel" is one of six content words: the model decides, not the look-up
    assert get_classifier().lookup("udarbejde budgetter og prognoser for afdelingens drift i Excel", "da") is None


def test_model_answers_with_a_group_for_unknown_phrases():
    phrases = ["pasning af bier og honningproduktion", "", "xq zzv", "ansvar for skemalægning på skolen"]
    groups = classify_phrases(phrases, "da")
    assert len(groups) == len(phrases)
    assert all(g in GROUPS for g in groups)
    assert groups[1] == "K99"  # an empty phrase has no field


def test_model_learns_from_its_examples():
    model = GroupModel.train(
        ["tålmodig", "tålmodighed", "rolig og tålmodig", "svejsning", "svejse stål", "tig-svejsning"],
        ["A1", "A1", "A1", "S7", "S7", "S7"],
        [1.0] * 6,
    )
    assert model.predict(["meget tålmodig", "svejsearbejde"]) == ["A1", "S7"]


def test_training_examples_come_from_taxonomy_group_names_and_seeds():
    tax = load_taxonomy()
    phrases, groups, weights = training_examples(tax, seeds=[("lægge fliser i badeværelser", "S7")])
    assert len(phrases) == len(groups) == len(weights)
    assert set(groups) <= set(GROUPS)
    assert "lægge fliser i badeværelser" in phrases
    assert "Holdninger" in phrases  # the group names themselves
    # every competence label is an example of its group
    row = tax.competence("sk_truckcertifikat")
    assert groups[phrases.index(row["label_da"])] == row["group"]


def test_seed_file_is_valid():
    seeds = read_seeds()
    assert len(seeds) >= 100
    assert all(group in GROUPS for _, group in seeds)
    assert len({p for p, _ in seeds}) == len(seeds), "duplicate seed phrases"


def test_classify_cli_reads_lines_and_writes_one_group_per_line():
    lines = ["mødestabil", "arbejde med børn og unge", "", "kørekort til lastbil"]
    result = subprocess.run(
        [sys.executable, "-m", "jobmatch", "classify", "--lang", "da"],
        input="\n".join(lines) + "\n", capture_output=True, text=True, cwd=config.REPO_ROOT, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert len(out) == len(lines)
    assert all(code in GROUPS for code in out)
    assert out[0] == group_of("sk_moedestabil")
    assert "Traceback" not in result.stderr


def test_classify_quality_on_kompetencer(kompetencer_dir):
    from jobmatch.quality import classify_f1

    result = classify_f1(kompetencer_dir)
    assert result["n"] > 100
    assert result["weighted_f1"] >= 0.50, result
