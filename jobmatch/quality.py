"""Quality of the competence extractor and the group classifier on real Danish text.

The measurements use the training split of *Kompetencer* (Danish job-posting
sentences with Skill/Knowledge spans and ESCO groups; MIT licence), kept in
the shared development data folder (``../shared/data/kompetencer``), never
in the repository. Nothing here learns from it: it only scores what the
project's own taxonomy and seeds produce.

* :func:`classify_f1` — weighted F1 of :func:`jobmatch.classify.classify_phrases`
  over the gold groups of ``2_da_train.tsv`` (phrase TAB group).
* :func:`extract_prf` — span precision, recall and F1 of
  :func:`jobmatch.competences.extract` on ``kompetencer_danish_train.conll``
  (token TAB Skill-BIO TAB Knowledge-BIO; an empty token line ends a
  sentence). Each sentence is the tokens joined by single spaces; a predicted
  span is correct when it overlaps a gold Skill or Knowledge span; recall is
  the share of gold spans overlapped by some prediction.

``python -m jobmatch quality --json`` prints both.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from jobmatch import config

#: where the shared Kompetencer split lives on a development machine
DEFAULT_DIR = config.REPO_ROOT.parent / "shared" / "data" / "kompetencer"
CLASSIFY_FILE = "2_da_train.tsv"
EXTRACT_FILE = "kompetencer_danish_train.conll"


def data_dir() -> Path:
    """The Kompetencer folder (``JOBMATCH_KOMPETENCER_DIR`` overrides)."""
    import os

    value = os.environ.get("JOBMATCH_KOMPETENCER_DIR")
    return Path(value).expanduser() if value else DEFAULT_DIR


def _resolve(path: Path | str | None, name: str) -> Path:
    path = Path(path) if path is not None else data_dir()
    return path / name if path.is_dir() else path


def read_phrases(path: Path | str | None = None) -> list[tuple[str, str]]:
    """(phrase, gold group) pairs of the TSV file."""
    out = []
    with _resolve(path, CLASSIFY_FILE).open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and parts[0].strip() and parts[1].strip():
                out.append((parts[0].strip(), parts[1].strip()))
    return out


def classify_f1(path: Path | str | None = None, lang: str = "da") -> dict:
    """Weighted F1 (and accuracy) of the group classifier on the gold phrases."""
    from sklearn.metrics import accuracy_score, f1_score

    from jobmatch.classify import classify_phrases

    pairs = read_phrases(path)
    gold = [g for _, g in pairs]
    pred = classify_phrases([p for p, _ in pairs], lang)
    return {
        "n": len(pairs),
        "weighted_f1": round(float(f1_score(gold, pred, average="weighted", zero_division=0)), 4),
        "macro_f1": round(float(f1_score(gold, pred, average="macro", zero_division=0)), 4),
        "accuracy": round(float(accuracy_score(gold, pred)), 4),
        "gold_groups": dict(Counter(gold).most_common()),
    }


def read_conll(path: Path | str | None = None) -> list[tuple[str, list[tuple[int, int]]]]:
    """Sentences (tokens joined by single spaces) with their gold spans as character offsets."""
    sentences: list[list[list[str]]] = []
    current: list[list[str]] = []
    with _resolve(path, EXTRACT_FILE).open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if not parts[0].strip():
                if current:
                    sentences.append(current)
                    current = []
                continue
            while len(parts) < 3:
                parts.append("O")
            current.append(parts[:3])
    if current:
        sentences.append(current)
    out = []
    for sent in sentences:
        offsets = []
        pos = 0
        for tok in sent:
            offsets.append((pos, pos + len(tok[0])))
            pos += len(tok[0]) + 1
        text = " ".join(tok[0] for tok in sent)
        spans: list[tuple[int, int]] = []
        for col in (1, 2):
            open_span: list[int] | None = None
            for i, tok in enumerate(sent):
                tag = tok[col].strip()
                if tag.startswith("B"):
                    if open_span:
                        spans.append((offsets[open_span[0]][0], offsets[open_span[1]][1]))
                    open_span = [i, i]
                elif tag.startswith("I") and open_span is not None:
                    open_span[1] = i
                else:
                    if open_span:
                        spans.append((offsets[open_span[0]][0], offsets[open_span[1]][1]))
                    open_span = None
            if open_span:
                spans.append((offsets[open_span[0]][0], offsets[open_span[1]][1]))
        out.append((text, spans))
    return out


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def extract_prf(path: Path | str | None = None, lang: str = "da") -> dict:
    """Span precision/recall/F1 of the extractor (overlap with a gold span counts)."""
    from jobmatch.competences import extract

    tp_pred = n_pred = hit_gold = n_gold = 0
    sentences = read_conll(path)
    for text, gold in sentences:
        pred = [(m.start, m.end) for m in extract(text, lang)]
        n_pred += len(pred)
        n_gold += len(gold)
        tp_pred += sum(1 for p in pred if any(_overlaps(p, g) for g in gold))
        hit_gold += sum(1 for g in gold if any(_overlaps(p, g) for p in pred))
    precision = tp_pred / n_pred if n_pred else 0.0
    recall = hit_gold / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "sentences": len(sentences),
        "gold_spans": n_gold,
        "predicted_spans": n_pred,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def available(path: Path | str | None = None) -> bool:
    """True when both files of the split are present."""
    folder = Path(path) if path is not None else data_dir()
    return (folder / CLASSIFY_FILE).exists() and (folder / EXTRACT_FILE).exists()
