"""ESCO group classifier for a competence phrase.

Given a phrase such as "arbejde selvstændigt", "kørselsdisponering" or
"experience with pallet jacks", :func:`classify_phrase` returns one ESCO
skills-pillar group code (A1, A2, S1–S8, K00–K10, K99, L1, T1–T6; see
:data:`jobmatch.taxonomy.GROUPS`).

Two steps:

1. **Look-up.** If the phrase is (mostly) a taxonomy competence — its label,
   a synonym or an inflection of one, found with the same extractor the CV
   parser uses — the taxonomy's group is returned.
2. **Model.** Otherwise a linear model predicts the group: TF-IDF over
   character n-grams (robust to inflection, compounds and typos) and over
   stemmed word uni- and bigrams, with a linear support-vector classifier. It is trained when
   first needed, once per process (about a second), on the project's own
   text only: the taxonomy's Danish and English labels and synonyms, the
   group names, and the hand-written seed phrases in
   ``jobmatch/resources/nlp/group_seeds.csv``. It never learns from the
   shared evaluation data.
"""

from __future__ import annotations

import csv
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from jobmatch import config, textnorm
from jobmatch.taxonomy import GROUPS, Taxonomy, load_taxonomy, split_multi

#: hand-written seed phrases (phrase, group) that teach the model general phrasings
SEEDS_PATH = config.RESOURCES_DIR / "nlp" / "group_seeds.csv"

#: share of the phrase's content words a taxonomy match must cover for the look-up to decide
LOOKUP_COVERAGE = 0.5
#: weight of a label / synonym / seed / group name as a training example
WEIGHT_LABEL, WEIGHT_SYNONYM, WEIGHT_SEED, WEIGHT_GROUP_NAME = 2.0, 1.0, 2.0, 1.0

_STOP = frozenset(
    """og i at er en et det den de til på med for af som har kan om ved eller samt sig sin sit sine
    din dit dine du vi jeg man være være skal vil the a an of and to in for with on or be your""".split()
)


def read_seeds(path: Path = SEEDS_PATH) -> list[tuple[str, str]]:
    """The hand-written (phrase, group) seeds; an absent file gives none."""
    if not path.exists():
        return []
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            phrase, group = (row.get("phrase") or "").strip(), (row.get("group") or "").strip()
            if phrase and group in GROUPS:
                out.append((phrase, group))
    return out


def training_examples(taxonomy: Taxonomy, seeds: list[tuple[str, str]] | None = None) -> tuple[list[str], list[str], list[float]]:
    """Phrases, groups and sample weights the model learns from."""
    phrases: list[str] = []
    groups: list[str] = []
    weights: list[float] = []
    for row in taxonomy.competences.itertuples(index=False):
        for lang in ("da", "en"):
            label = getattr(row, f"label_{lang}")
            if label:
                phrases.append(label)
                groups.append(row.group)
                weights.append(WEIGHT_LABEL)
            for syn in split_multi(getattr(row, f"synonyms_{lang}")):
                phrases.append(syn)
                groups.append(row.group)
                weights.append(WEIGHT_SYNONYM)
    for code, (name_da, name_en) in GROUPS.items():
        for name in (name_da, name_en):
            phrases.append(name)
            groups.append(code)
            weights.append(WEIGHT_GROUP_NAME)
    for phrase, group in (read_seeds() if seeds is None else seeds):
        phrases.append(phrase)
        groups.append(group)
        weights.append(WEIGHT_SEED)
    return phrases, groups, weights


def _word_analyzer(phrase: str) -> list[str]:
    stems = [textnorm.stem(w, "da") for w in textnorm.words(phrase)]
    feats = [s for s in stems if s not in _STOP]
    feats += [f"{a}_{b}" for a, b in zip(stems, stems[1:])]
    return feats


def _char_preprocess(phrase: str) -> str:
    return " ".join(textnorm.words(phrase))


@dataclass
class GroupModel:
    """The trained TF-IDF + linear SVM model."""

    pipeline: object
    classes: list[str]

    @classmethod
    def train(cls, phrases: list[str], groups: list[str], weights: list[float], C: float = 0.5) -> "GroupModel":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import FeatureUnion, make_pipeline
        from sklearn.svm import LinearSVC

        features = FeatureUnion(
            [
                ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True,
                                          preprocessor=_char_preprocess, min_df=1)),
                ("words", TfidfVectorizer(analyzer=_word_analyzer, sublinear_tf=True)),
            ]
        )
        # a loose tolerance: the same predictions in a third of the time (trained at every start)
        model = LinearSVC(C=C, class_weight="balanced", tol=1e-2)
        pipeline = make_pipeline(features, model)
        pipeline.fit(phrases, groups, linearsvc__sample_weight=np.asarray(weights))
        return cls(pipeline, list(model.classes_))

    def predict(self, phrases: list[str]) -> list[str]:
        if not phrases:
            return []
        return [str(g) for g in self.pipeline.predict(phrases)]

    def scores(self, phrases: list[str]) -> np.ndarray:
        """Decision scores, one column per group in ``classes``."""
        return self.pipeline.decision_function(phrases)


class GroupClassifier:
    """Look-up in the taxonomy first, the trained model otherwise."""

    def __init__(self, taxonomy: Taxonomy, seeds: list[tuple[str, str]] | None = None,
                 taxonomy_folder: Path | None = None) -> None:
        self.taxonomy = taxonomy
        self.taxonomy_folder = taxonomy_folder  # where the look-up's extractor reads the same taxonomy
        self.model = GroupModel.train(*training_examples(taxonomy, seeds))

    def lookup(self, phrase: str, lang: str = "da") -> str | None:
        """The taxonomy group when a competence covers most of ``phrase``, else None."""
        from jobmatch.competences import get_extractor

        ex = get_extractor(lang, self.taxonomy_folder)
        mentions = ex.find(phrase)
        if not mentions:
            return None
        content = [w for w in textnorm.words(phrase) if w not in _STOP]
        if not content:
            return None
        best = max(mentions, key=lambda m: (m.end - m.start, m.confidence))
        covered = [w for w in textnorm.words(best.text) if w not in _STOP]
        if len(covered) / len(content) >= LOOKUP_COVERAGE:
            return best.group
        return None

    def classify(self, phrases: list[str], lang: str = "da") -> list[str]:
        out: list[str | None] = [self.lookup(p, lang) if p.strip() else "K99" for p in phrases]
        todo = [i for i, g in enumerate(out) if g is None]
        if todo:
            for i, g in zip(todo, self.model.predict([phrases[i] for i in todo])):
                out[i] = g
        return [g or "K99" for g in out]


_LOCK = threading.Lock()


@lru_cache(maxsize=4)
def _classifier(folder: str) -> GroupClassifier:
    return GroupClassifier(load_taxonomy(Path(folder)), taxonomy_folder=Path(folder))


def get_classifier(taxonomy_folder: Path | None = None) -> GroupClassifier:
    """The classifier over the configured taxonomy, trained once per process."""
    with _LOCK:
        return _classifier(str(taxonomy_folder or config.taxonomy_dir()))


def classify_phrase(phrase: str, lang: str = "da") -> str:
    """ESCO group code of one competence phrase."""
    return get_classifier().classify([phrase], lang)[0]


def classify_phrases(phrases: list[str], lang: str = "da") -> list[str]:
    """ESCO group codes of many phrases (one model call for all that need it)."""
    return get_classifier().classify(list(phrases), lang)
