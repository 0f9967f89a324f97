"""Transparency documents, generated from the model's metadata and its fairness report.

``python -m jobmatch docs build [--out DIR]`` calls :func:`build_documents`,
which writes into ``docs/generated/`` (default):

====================================  =========================================================
``model_card.md``                     model card: intended and out-of-scope uses, data, inputs,
                                      metrics against baselines, per-group results, proxy check,
                                      invariance, human oversight, limitations (English)
``fairness_report.md`` / ``.json``    the fairness report the card cites (:mod:`jobmatch.fairness`)
``datasheet.md``                      datasheet for the demo data, from the world's manifest and
                                      counts — says plainly what is simulated (English)
``instructions_for_use.md``           brugsanvisning for jobkonsulenter (Danish)
``citizen_information.md`` / ``.pdf`` information til borgeren i et enkelt dansk; printable PDF
``atrs.json``                         UK Algorithmic Transparency Recording Standard (v3.0 fields)
``eurocities_register.json``          Eurocities Algorithmic Transparency Standard (v0.3.1 fields)
``manifest.json``                     which model, data and fairness report the files come from
====================================  =========================================================

**Committed or not?** The generated documents are committed, like the default
model in ``models/`` they describe: a fresh clone then shows them in the app
without computing a fairness report (minutes), and a change in the published
wording is visible in review. Whoever promotes a new default model runs
``docs build`` again; :func:`stale` (shown on the Gennemsigtighed page and
by the CLI) says when the committed documents describe another model.

The short model card in ``models/MODEL_CARD.md`` is the registry's
(:func:`jobmatch.registry.render_model_card`); :func:`registry_card_section`
is the one function the registry may call to append the per-group results
to it. ``model_card.md`` here is the full card.

Organisation details a municipality must supply for public registers
(contact e-mail, website, responsible owner, team, phone, where the source
code is published) come from the ``JOBMATCH_PUBLISHER_*`` environment
variables (:func:`publisher`); missing ones are written as
``"[udfyldes af kommunen]"`` and listed under ``to_complete`` in the JSON
exports, so an incomplete record is never mistaken for a finished one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jobmatch import config

#: the default output folder (committed; see the module docstring)
DEFAULT_OUT = config.REPO_ROOT / "docs" / "generated"


def docs_dir() -> Path:
    """Where the app reads the generated documents: ``JOBMATCH_GENERATED_DOCS_DIR`` or ``docs/generated``."""
    value = os.environ.get("JOBMATCH_GENERATED_DOCS_DIR", "").strip()
    return Path(value).expanduser().resolve() if value else DEFAULT_OUT

#: placeholder for organisation details the municipality must fill in
TO_FILL = "[udfyldes af kommunen]"



@dataclass(frozen=True)
class Document:
    """One generated file: name, titles for the app, and the headings/keys a test requires."""

    filename: str
    title_da: str
    title_en: str
    kind: str  # "markdown" | "json" | "pdf"
    required: tuple[str, ...] = ()


DOCUMENTS: tuple[Document, ...] = (
    Document("model_card.md", "Modelkort", "Model card", "markdown",
             ("# Model card", "## Intended use", "## Out-of-scope uses", "## Data", "## Inputs",
              "## Metrics against baselines", "## Results per group", "## Proxy check", "## Invariance",
              "## Human oversight", "## Limitations")),
    Document("fairness_report.md", "Fairness-rapport", "Fairness report", "markdown",
             ("# Fairness report", "## Exposure", "## Per group", "## Proxy check", "## Invariance")),
    Document("fairness_report.json", "Fairness-rapport (JSON)", "Fairness report (JSON)", "json",
             ("groups", "exposure_ratio_min", "proxy_check", "model_version", "data_version")),
    Document("datasheet.md", "Datablad for demodata", "Datasheet for the demo data", "markdown",
             ("# Datasheet", "## Motivation", "## Composition", "## Collection process", "## What is simulated",
              "## Protected attributes", "## Uses", "## Maintenance")),
    Document("instructions_for_use.md", "Brugsanvisning", "Instructions for use", "markdown",
             ("# Brugsanvisning", "## Sådan læser du begrundelserne", "## Hvornår du skal være uenig",
              "## Sådan tilsidesætter du forslagene", "## Stopknappen", "## Det må jobmatch ikke bruges til")),
    Document("citizen_information.md", "Til borgeren", "For the citizen", "markdown",
             ("# ", "## Hvilke oplysninger bruger vi", "## Det bruger vi ikke", "## Du kan sige nej",
              "## Du har ret til en forklaring", "## Du kan altid tale med et menneske")),
    Document("citizen_information.pdf", "Til borgeren (PDF)", "For the citizen (PDF)", "pdf"),
    Document("atrs.json", "ATRS-registrering", "ATRS record", "json",
             ("standard", "tier_1", "tier_2")),
    Document("eurocities_register.json", "Eurocities-registrering", "Eurocities register record", "json",
             ("standard_version", "name", "organization", "contact_email", "description_short", "status",
              "goal", "impact", "risks", "human_intervention", "objection_procedure")),
    Document("manifest.json", "Manifest", "Manifest", "json", ("model_version", "data_version", "files")),
)

#: ATRS v3.0 tier 1 fields (overview for the general public)
ATRS_TIER1_FIELDS = ("name", "description", "website", "contact_email", "organisation", "function", "phase",
                     "geographic_region")
#: ATRS v3.0 tier 2 sections and their fields
ATRS_TIER2_FIELDS: dict[str, tuple[str, ...]] = {
    "owner_and_responsibility": ("organisation", "team", "senior_responsible_owner", "external_supplier_involvement",
                                 "external_suppliers", "data_access_terms"),
    "description_and_rationale": ("detailed_description", "scope", "benefit", "previous_process",
                                  "alternatives_considered"),
    "decision_making_process": ("process_integration", "provided_information", "frequency_and_scale_of_usage",
                                "human_decisions_and_review", "required_training", "appeals_and_review"),
    "tool_specification": ("system_architecture", "phase", "maintenance", "models"),
    "data_specification": ("source_data_name", "data_modality", "data_description", "data_quantities",
                           "sensitive_attributes", "data_completeness_and_representativeness", "source_data_url",
                           "data_collection", "data_cleaning", "data_sharing_agreements", "data_access_and_storage"),
    "risks_mitigations_and_impact_assessments": ("impact_assessments", "risks"),
}
ATRS_MODEL_FIELDS = ("model_name", "model_version", "model_task", "model_input", "model_output", "model_architecture",
                     "model_performance", "datasets", "dataset_purposes")

#: required attributes of the Eurocities Algorithmic Transparency Standard v0.3.1
EUROCITIES_REQUIRED = (
    "standard_version", "lang", "publication_date", "last_change_date", "revision_date", "name", "organization",
    "department", "country", "contact_email", "description_short", "status", "decision_making_process", "domain",
    "area", "goal", "impact", "risks", "risk_category", "proportionality", "lawful_basis", "training_data",
    "source_data", "connected_data_sources", "algorithm_type", "type", "monitoring", "human_intervention",
    "objection_procedure",
)


# ---------------------------------------------------------------------------
# what the documents are generated from


@dataclass(frozen=True)
class Publisher:
    """Organisation details for the public registers (``JOBMATCH_PUBLISHER_*`` environment variables)."""

    organisation: str
    team: str
    contact_email: str
    website: str
    senior_responsible_owner: str
    phone: str
    codebase: str

    @property
    def missing(self) -> list[str]:
        return [name for name, value in self.__dict__.items() if value == TO_FILL]


def publisher() -> Publisher:
    """Organisation details: the serving municipality's name, the rest from ``JOBMATCH_PUBLISHER_*``."""
    try:
        from jobmatch import municipalities

        organisation = municipalities.current().name
    except Exception:  # a broken municipality file is reported by `doctor`, not here
        organisation = TO_FILL

    def env(name: str) -> str:
        return os.environ.get(name, "").strip() or TO_FILL

    return Publisher(organisation=organisation, team=env("JOBMATCH_PUBLISHER_TEAM"),
                     contact_email=env("JOBMATCH_PUBLISHER_EMAIL"), website=env("JOBMATCH_PUBLISHER_WEBSITE"),
                     senior_responsible_owner=env("JOBMATCH_PUBLISHER_OWNER"), phone=env("JOBMATCH_PUBLISHER_PHONE"),
                     codebase=env("JOBMATCH_PUBLISHER_CODEBASE"))


@dataclass
class Context:
    """Everything the documents are generated from."""

    metadata: dict[str, Any] | None
    fairness: dict[str, Any] | None
    world: dict[str, Any] | None
    audit_counts: dict[str, dict[str, int]]
    publisher: Publisher
    thresholds: Any
    generated_on: str
    model_problem: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def model_version(self) -> str | None:
        return (self.metadata or {}).get("version")

    @property
    def data_version(self) -> str | None:
        if self.world:
            return self.world.get("data_version")
        return (self.metadata or {}).get("data_version")

    @property
    def simulated(self) -> bool:
        if self.world is not None:
            return bool(self.world.get("simulated", True))
        return bool((self.metadata or {}).get("simulated_data", True))


def collect(models_folder: Path | None = None, world_folder: Path | None = None,
            fairness: dict[str, Any] | None = None, today: dt.date | None = None) -> Context:
    """Read metadata, world manifest and counts; never fails on a missing model or world (says so instead)."""
    from jobmatch import registry, world

    metadata, problem = None, None
    try:
        metadata = registry.load_model(models_folder).metadata
    except (registry.ModelMissingError, registry.ModelCompatibilityError) as exc:
        problem = str(exc)
    info: dict[str, Any] | None = None
    audit_counts: dict[str, dict[str, int]] = {}
    if world.exists(world_folder):
        manifest = world.manifest(world_folder)
        stats = world.world_stats(world_folder)
        info = {**stats, "simulated": bool(manifest.get("simulated", False)), "size": manifest.get("size", {}),
                "window_start": manifest.get("window_start"), "built_at": manifest.get("built_at"),
                "generator_version": manifest.get("generator_version")}
        audit = world.load_citizen_audit(world_folder)
        for attr in ("gender", "age_band", "origin"):
            if attr in audit:
                audit_counts[attr] = {str(k): int(v) for k, v in audit[attr].value_counts().sort_index().items()}
    return Context(metadata=metadata, fairness=fairness, world=info, audit_counts=audit_counts,
                   publisher=publisher(), thresholds=config.fairness_settings(),
                   generated_on=(today or dt.date.today()).isoformat(), model_problem=problem)


# ---------------------------------------------------------------------------
# small formatting helpers


def _num(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    try:
        f = float(value)
    except (TypeError, ValueError):
        return str(value)
    if f != f:  # nan
        return "–"
    return f"{f:.{digits}f}"


def _ci(summary: dict[str, Any] | None, digits: int = 3) -> str:
    if not summary or summary.get("value") is None:
        return "–"
    low, high = (summary.get("ci95") or [None, None])[:2]
    return f"{_num(summary['value'], digits)} [{_num(low, digits)}, {_num(high, digits)}]"


def _int(value: Any) -> str:
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return "–"


GROUP_LABELS = {
    "gender": "Gender", "age_band": "Age band", "origin": "Origin",
    "female": "women", "male": "men", "danish": "Danish origin", "western": "Western origin",
    "non_western": "non-Western origin",
}


# ---------------------------------------------------------------------------
# the fairness report in Markdown


def render_fairness(report: dict[str, Any] | None, *, heading_level: int = 1) -> str:
    """The fairness report as Markdown tables (or a plain note that there is none)."""
    h = "#" * heading_level
    if not report:
        return (f"{h} Fairness report\n\nNo fairness report is available for this model version. "
                "Run `python -m jobmatch fairness` and then `python -m jobmatch docs build`.\n\n"
                f"{h}# Exposure\n\n–\n\n{h}# Per group\n\n–\n\n{h}# Proxy check\n\n–\n\n{h}# Invariance\n\n–\n")
    th = report.get("thresholds", {})
    checks = report.get("checks", {})
    lines = [f"{h} Fairness report", "",
             f"Model `{report.get('model_version') or 'rule ranking'}` on data `{report.get('data_version')}` "
             f"({'simulated demo world' if report.get('simulated_data') else 'municipal data'}), "
             f"made {str(report.get('created_at', ''))[:10]} by `python -m jobmatch fairness`. "
             "Protected attributes come from the separate audit table and were joined after ranking; "
             "they are never model inputs.", "",
             f"{h}# Exposure", "",
             f"**Minimum exposure ratio: {_num(report.get('exposure_ratio_min'))}** (bar: ≥ "
             f"{_num(th.get('exposure_ratio_min_ok'), 2)}; "
             f"{'met' if checks.get('exposure_ratio_ok') else 'NOT met'}). "
             f"Fit-weighted: {_num(report.get('fit_exposure_ratio_min'))} "
             f"({'met' if checks.get('fit_exposure_ratio_ok') else 'NOT met'}).", "",
             "| Attribute | Exposure ratio | Lowest group | Highest group | Fit-weighted ratio | NDCG@10 ratio |",
             "| --- | --- | --- | --- | --- | --- |"]
    for attr, entry in (report.get("exposure_ratio") or {}).items():
        fit = (report.get("fit_exposure_ratio") or {}).get(attr, {})
        nd = (report.get("ndcg@10_ratio") or {}).get(attr, {})
        lines.append(f"| {GROUP_LABELS.get(attr, attr)} | {_num(entry.get('ratio'))} | "
                     f"{GROUP_LABELS.get(entry.get('lowest'), entry.get('lowest')) or '– (all equal)'} | "
                     f"{GROUP_LABELS.get(entry.get('highest'), entry.get('highest')) or '– (all equal)'} | "
                     f"{_num(fit.get('ratio'))} | {_num(nd.get('ratio'))} |")
    lines += ["", f"{h}# Per group", "",
              "Means with bootstrap 95 % intervals over citizens. NDCG@10 on the test period's candidate sets "
              "(*Evaluated*: citizens with an application in the test period); exposure, fit-weighted exposure, "
              "atypical share and list length on a standard ranking of current postings (*Ranked*: citizens "
              "ranked; see the definitions below).", ""]
    for attr, table in (report.get("groups") or {}).items():
        lines += [f"**{GROUP_LABELS.get(attr, attr)}**", "",
                  "| Group | Evaluated | NDCG@10 | Ranked | Exposure | Fit-weighted exposure | Gender-atypical share "
                  "| Suggestions |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for group, entry in table.items():
            lines.append(f"| {GROUP_LABELS.get(group, group)} | {_int((entry.get('ndcg@10') or {}).get('n'))} | "
                         f"{_ci(entry.get('ndcg@10'))} | {_int((entry.get('exposure') or {}).get('n'))} | "
                         f"{_ci(entry.get('exposure'))} | "
                         f"{_ci(entry.get('fit_exposure'))} | {_ci(entry.get('atypical_share'))} | "
                         f"{_ci(entry.get('results'), 1)} |")
        lines.append("")
    proxy = report.get("proxy_check") or {}
    lines += [f"{h}# Proxy check", "",
              f"How well the model's inputs predict each protected attribute (cross-validated AUC; 0.5 = not at "
              f"all, 1 = perfectly). Flag above {_num(proxy.get('threshold'), 2)}. Inputs: per-citizen mean and "
              f"max of each of the model's features over every posting retrieved for the citizen's standard "
              f"ranking ({_int(proxy.get('citizens'))} citizens, 5-fold cross-validation).", "",
              "| Attribute | AUC (logistic) | AUC (GBM) | Flagged | Strongest feature group (AUC) | CV competences alone |",
              "| --- | --- | --- | --- | --- | --- |"]
    for attr, entry in (proxy.get("attributes") or {}).items():
        by_group = entry.get("auc_by_feature_group") or {}
        top = max(by_group.items(), key=lambda kv: kv[1] or 0) if by_group else None
        lines.append(f"| {GROUP_LABELS.get(attr, attr)} | {_num(entry.get('auc_logistic'))} | "
                     f"{_num(entry.get('auc_gbm'))} | {'**yes**' if entry.get('flagged') else 'no'} | "
                     f"{f'{top[0]} ({_num(top[1])})' if top else '–'} | {_num(entry.get('auc_cv_competences'))} |")
    inv = report.get("invariance") or {}
    lines += ["", f"{h}# Invariance", "",
              f"Two versions of the same CV that differ only in the name, in gender-coded words (written about a "
              f"woman vs a man, with a stated gender) or in the stated birth date are ranked; the share of the top 10 "
              f"that changes must stay at or below {_num(inv.get('threshold'), 2)}. "
              f"Largest change seen: {_num(inv.get('max_top10_change'))} "
              f"({'passed' if inv.get('passed') else 'NOT passed'}).", "",
              "| Edit | Cases | Largest top-10 change | Mean change | Lowest Kendall's tau |", "| --- | --- | --- | --- | --- |"]
    for edit, entry in (inv.get("by_edit") or {}).items():
        lines.append(f"| {edit} | {_int(entry.get('cases'))} | {_num(entry.get('max_top10_change'))} | "
                     f"{_num(entry.get('mean_top10_change'))} | {_num(entry.get('min_kendall_tau'))} |")
    lines += ["", f"{h}# Notes", ""] + [f"- {n}" for n in report.get("notes", [])]
    lines += ["", f"{h}# Definitions", ""] + [f"- **{k}**: {v}" for k, v in (report.get("definitions") or {}).items()]
    return "\n".join(lines) + "\n"


def registry_card_section(metadata: dict[str, Any], report: dict[str, Any] | None) -> str:
    """**For the registry**: a Markdown section with the per-group results, to append to MODEL_CARD.md.

    The registry may call this from :func:`jobmatch.registry.render_model_card`
    when a fairness report for the same model version exists; it only reads.
    """
    if not report or report.get("model_version") != metadata.get("version"):
        return ("## Results per group\n\nNo fairness report for this model version yet: "
                "`python -m jobmatch fairness`.\n")
    body = render_fairness(report, heading_level=2).replace("## Fairness report", "## Results per group", 1)
    return body


# ---------------------------------------------------------------------------
# the model card


def _metrics_table(metrics: dict[str, Any]) -> str:
    names = ["ndcg@5", "ndcg@10", "map@10", "recall@10", "recall@50", "mrr"]
    rows = ["| Ranker | " + " | ".join(names) + " |", "| --- |" + " --- |" * len(names)]
    model = metrics.get("model", {})
    rows.append("| **LightGBM model** | " + " | ".join(f"**{_num(model.get(n))}**" for n in names) + " |")
    labels = {"tfidf": "text search (TF-IDF)", "overlap": "rule: requirements met (the stop switch)",
              "distance": "nearest first"}
    for name, values in metrics.get("baselines", {}).items():
        rows.append(f"| {labels.get(name, name)} | " + " | ".join(_num(values.get(n)) for n in names) + " |")
    return "\n".join(rows)


def render_model_card(ctx: Context) -> str:
    from jobmatch.features import FEATURES, GROUPS

    meta = ctx.metadata or {}
    metrics = meta.get("metrics", {})
    split = meta.get("split", {})
    ci = metrics.get("ndcg@10_gain_ci95")
    groups: dict[str, list[str]] = {}
    for f in FEATURES:
        groups.setdefault(f.group, []).append(f"`{f.name}`")
    feature_lines = "\n".join(f"- **{GROUPS[g][1]}**: {', '.join(names)}" for g, names in groups.items())
    importance = meta.get("feature_importance_gain_share") or {}
    top_features = ", ".join(f"`{k}` {v:.0%}" for k, v in list(importance.items())[:6]) or "–"
    if ctx.metadata is None:
        header = (f"**No ranking model is installed** ({ctx.model_problem}). Suggestions use the transparent rule "
                  "score (share of the posting's requirements found in the CV). The sections below describe the "
                  "tool; metrics appear once a model is trained.")
    else:
        header = (f"| | |\n| --- | --- |\n| Version | `{meta.get('version')}` |\n| Created | {meta.get('created_at')} |\n"
                  f"| Code version | jobmatch {meta.get('code_version')} |\n"
                  f"| Data version | `{meta.get('data_version')}` "
                  f"({'simulated demo world' if meta.get('simulated_data') else 'municipal data'}) |\n"
                  f"| Model | LightGBM `LGBMRanker` (LambdaRank), {meta.get('best_iteration')} trees, "
                  f"{(meta.get('model_bytes') or 0) / 1024:.0f} KiB |\n"
                  f"| Fairness report | {('made ' + str(ctx.fairness.get('created_at', ''))[:10]) if ctx.fairness else 'none yet'} |")
    simulated = ctx.simulated
    counts = split.get("counts", {})
    count_rows = "\n".join(f"| {s} | {_int(c.get('queries'))} | {_int(c.get('pairs'))} | {_int(c.get('relevant_pairs'))} |"
                           for s, c in counts.items()) or "| – | – | – | – |"
    beats = metrics.get("beats_every_baseline")
    verdict = ("The model beats every baseline on NDCG@10 with a bootstrap 95 % interval above zero."
               if beats else "The model does **not** beat every baseline with an interval above zero."
               if beats is not None else "")
    fairness_md = render_fairness(ctx.fairness, heading_level=2).replace("## Fairness report", "## Results per group", 1)
    # the sub-sections of the fairness report become level-3 headings inside "Results per group",
    # except Proxy check and Invariance which the card lists as its own sections
    fairness_md = (fairness_md.replace("### Exposure", "### Exposure").replace("### Proxy check", "## Proxy check")
                   .replace("### Invariance", "## Invariance").replace("### Notes", "### Notes on the fairness figures"))
    th = ctx.thresholds
    return f"""# Model card: jobmatch job ranking

*Generated by `python -m jobmatch docs build` from `models/metadata.json` and the fairness report on
{ctx.generated_on}. Do not edit by hand. The registry's short card is `models/MODEL_CARD.md`.*

{header}

## Intended use

jobmatch is **decision support in a dialogue** between a job consultant and a citizen at one screen.
The model orders current job postings within the citizen's commuting range by how well they fit the
competences in the citizen's CV, so the two can look at the most relevant ones first and talk about them.
Every suggestion is shown with its reasons in plain Danish. The consultant and the citizen decide; the
consultant can hide, pin, reorder or add jobs, and can switch the model off (the stop switch).

Intended users: job consultants in Danish job centres (jobcentre), together with the citizen.

## Out-of-scope uses

The model and its scores must not be used for:

- sanctions, or any decision about benefits (ydelser) or their conditions;
- assessing whether a citizen is available for work (rådighedsvurdering);
- benefit decisions of any kind, or decisions about which offers or activities a citizen must accept;
- profiling citizens for risk scores (e.g. risk of long-term unemployment) or ranking citizens against each other;
- any automated decision about a citizen — nothing happens without the consultant and the citizen;
- use without a consultant present, or on populations other than job seekers in the configured area.

A high rank is not an assessment of the citizen, and a low rank or a missing job is not a judgement that
the citizen cannot do it.

## Data

{'**The training data are simulated.** The demo world (postings, CVs and an interaction log of shown/applied/interview/hired) is generated by `jobmatch.demo`; its behaviour model is invented. The metrics below say how well the pipeline recovers a *simulated* signal, not how well it works for real citizens. A municipality must retrain on its own logs and re-run the evaluation and the fairness report before relying on it. See `datasheet.md` and `docs/data.md`.' if simulated else 'Trained on the municipality interaction log named in the metadata.'}

Labels: graded relevance of each (citizen, posting) pair from the furthest event — hired 3 > interview 2 >
applied 1 > shown 0. Split by time: train before {split.get('valid_from', '?')}, validation (early stopping
only) until {split.get('test_from', '?')}, test after. A query is one citizen in one period.

| Period | Queries | Pairs | Relevant pairs |
| --- | --- | --- | --- |
{count_rows}

## Inputs

{len(meta.get('feature_names', [])) or len(FEATURES)} features of a (CV, posting) pair, grouped as the explanations show them:

{feature_lines}

Largest shares of the model's gain: {top_features}.

**Never inputs:** name, age or birth date, gender, nationality or origin, photo, marital status, health,
the home address (only the travel time to the job). Gender-coded words, digits and contact lines are
removed from the CV text before the text features see it. Protected attributes are kept in a separate
table (`citizen_audit`) that only the fairness report reads, after ranking.

## Metrics against baselines

Test period, {_int(metrics.get('queries_evaluated'))} citizens with at least one application in the period.

{_metrics_table(metrics) if metrics else 'No metrics (no model installed).'}

NDCG@10 gain over the best baseline (`{metrics.get('best_baseline', '–')}`), bootstrap 95 % interval over
citizens: {f'[{_num(ci[0])}, {_num(ci[1])}]' if ci else '–'}. {verdict}

{fairness_md}
## Human oversight

- Reasons, not scores, are shown to the citizen; the consultant sees the order and the reasons.
- The consultant can hide a suggestion, mark it not relevant, pin it to the citizen's job list, move it, or add a
  job by hand; each action is written to the hash-chained audit trail with an optional reason.
- **Stop switch:** per session (sidebar) and per deployment (`JOBMATCH_STOP_MODEL=1`). It replaces the model by
  the transparent rule score (share of the posting's named requirements found in the CV, nearest first on ties);
  the screen says so and the audit trail records the method.
- The project team sees how often and why consultants override suggestions (the Tilsyn page).
- A model version whose fairness figures cross the thresholds in configuration (exposure ratio below
  {th.exposure_ratio_min_ok}, invariance change above {th.invariance_max_top10_change}, proxy AUC above
  {th.proxy_auc_flag}) is reviewed by the project team before use; see the ethics register.

## Limitations

- {'**Outcomes are simulated.** Every metric and every per-group figure here is measured on the demo world. ' if simulated else ''}The model learns from past behaviour (who applied, who was hired) and can reproduce its patterns,
  including employers' biases and occupational segregation.
- Competences and requirements are read from text with a taxonomy-based extractor; what it misses, the model
  cannot use. English CVs are matched through the same taxonomy, but text-similarity features are weaker
  across languages.
- Years of experience and education correlate with age; language requirements and CV language with origin;
  occupation with gender. They are job-relevant and kept; the fairness report monitors their effect.
- Travel times are estimates between postcode areas, not a journey planner.
- The ranking only sees postings in the data; jobs found elsewhere must be added by hand.
"""


# ---------------------------------------------------------------------------
# the datasheet


def render_datasheet(ctx: Context) -> str:
    w = ctx.world
    if w is None:
        body = ("**No data world is built on this machine.** Run `python -m jobmatch data build` and then "
                "`python -m jobmatch docs build`.\n")
        composition = "–"
        audit = "–"
    else:
        events = w.get("interactions_by_event", {})
        composition = (
            f"| Table | Rows | What one row is |\n| --- | --- | --- |\n"
            f"| postings | {_int(w.get('postings_total'))} ({_int(w.get('postings'))} open) | a job posting with "
            f"title, occupation, employer, workplace postcode, text, hours, dates |\n"
            f"| citizens | {_int(w.get('citizens'))} | a job seeker: home postcode, transport mode, maximum travel "
            f"time, hours wish, CV language, CV text |\n"
            f"| interactions | {_int(w.get('interactions'))} | an event: shown {_int(events.get('shown'))}, applied "
            f"{_int(events.get('applied'))}, interview {_int(events.get('interview'))}, hired "
            f"{_int(events.get('hired'))} |\n"
            f"| citizen_audit | {_int(w.get('citizens'))} | gender, age band and origin of a citizen (fairness "
            f"reports only) |\n\n"
            f"{_int(w.get('occupations'))} occupations, {_int(w.get('competences'))} competences "
            f"({_int(w.get('personal_competences'))} personal), {_int(w.get('postcodes'))} postcodes, "
            f"{_int(w.get('pilot_municipalities'))} pilot municipalities. English CVs: "
            f"{_num(100 * (w.get('english_cv_share') or 0), 1)} %; English postings: "
            f"{_num(100 * (w.get('english_posting_share') or 0), 1)} %. Interaction window: "
            f"{w.get('interaction_months')} months from {w.get('window_start')}; the world's 'today' is "
            f"{w.get('reference_date')}.")
        audit = "\n".join(f"- **{GROUP_LABELS.get(a, a)}**: " + ", ".join(
            f"{GROUP_LABELS.get(k, k)} {_int(v)}" for k, v in counts.items()) for a, counts in ctx.audit_counts.items())
        body = (f"Data version `{w.get('data_version')}`, seed {w.get('seed')}, generator version "
                f"{w.get('generator_version')}, built {str(w.get('built_at') or '')[:19]}. "
                f"{'**Everything in it is simulated.**' if w.get('simulated') else '**This world holds imported municipal data.**'}\n")
    return f"""# Datasheet: the jobmatch demo world

*Generated by `python -m jobmatch docs build` from the world's `manifest.json` and table counts on
{ctx.generated_on}. The narrative description of the generator is `docs/data.md`; this sheet follows the
questions of "Datasheets for Datasets" (Gebru et al.).*

{body}
## Motivation

The demo world exists so jobmatch can be built, tested, demonstrated and evaluated **without personal
data**. No real citizen, CV, employer or job posting is in it. It was made by the jobmatch project for
development and for showing the tool to job centres; it is no evidence of how real citizens, consultants or
employers behave.

## Composition

{composition}

## Collection process

Nothing was collected. Every table is generated by `jobmatch.demo` from a seed (the same seed always gives
the same data version). Postings are written from templates over the bundled taxonomy; workplace postcodes
follow the population of places; citizens live in the pilot municipalities; the interaction log is produced
by a behavioural model (`jobmatch/demo/behaviour.py`) from the simulator's *true* competences and
requirements, which the ranker never sees (`generator_truth/`, read only by the generator — a test enforces
it).

## What is simulated

- **Everything**: the postings, the employers, the citizens, their CVs (names, addresses, phone numbers and
  e-mail addresses are invented, in CV form, so that personal-data redaction is exercised), their careers,
  and all outcomes (shown, applied, interview, hired).
- **The outcome model is an assumption.** Metrics measured on it show that the pipeline recovers a simulated
  signal, not that jobmatch helps real citizens.
- **Language is template text.** Real CVs and postings are messier.
- **Geography of jobs** follows place population, not real employers.

## Protected attributes

Gender, age band and origin are drawn for every citizen and kept in the separate `citizen_audit` table,
read only by the fairness report. They shape the simulated careers as in the real labour market —
occupational gender segregation (care and pedagogy more often women, construction and transport more often
men), experience from age, Danish level, an extra language and CV language from origin — but they **do not**
enter the behavioural formulas, so any difference between groups in outcomes comes through careers, not
through simulated discrimination.

{audit}

## Preprocessing

CV text is redacted for personal data (`jobmatch.pii`) before competences are read from it; the redacted
profiles are cached under the data folder, never in the repository. Pairs whose posting or citizen is
unknown are dropped when training.

## Uses

Development, tests (a small world built per test session), demonstrations, and the evaluation and fairness
reports of the default model. **Not** for any conclusion about real people, real employers or the real
effect of the tool. A municipality replaces it with its own postings and interaction log
(`python -m jobmatch import ...`) and re-runs training, evaluation and the fairness report.

## Distribution

Not distributed as data: anyone can regenerate it with `python -m jobmatch data build` (git-ignored
`data/world/`). Only counts and figures derived from it appear in the repository.

## Maintenance

Maintained with the generator (`jobmatch/demo/`). A change of the generator changes the data version;
models and documents name the data version they were made from.
"""


# ---------------------------------------------------------------------------
# instructions for use (consultants, Danish)


def render_instructions(ctx: Context) -> str:
    th = ctx.thresholds
    return f"""# Brugsanvisning til jobkonsulenter

*Lavet af `python -m jobmatch docs build` den {ctx.generated_on}. Model: `{ctx.model_version or 'ingen (regel)'}`.*

jobmatch er et hjælpemiddel til samtalen med borgeren. Værktøjet læser CV'et, finder aktuelle job inden for
den rejsetid, I vælger, og sætter dem i en rækkefølge. **Du og borgeren beslutter.** jobmatch træffer ingen
afgørelser.

## Før samtalen

- Hent borgerens CV, eller vælg en demoperson, på siden **Borger**. Tjek sammen med borgeren, at
  kompetencerne er læst rigtigt. Ret dem, hvis der mangler noget – rettelser gælder kun i denne samtale.
- Vælg postnummer, transportform og længste rejsetid **sammen med borgeren**.
- Slå **Fælles skærm** til, når borgeren ser med. Så vises hverdagsord og ingen interne scorer.

## Sådan læser du begrundelserne

Hvert forslag har en begrundelse under **Hvorfor?**:

- **Krav i opslaget, som står i CV'et** – det, der taler for jobbet.
- **Krav i opslaget, som ikke står i CV'et** – det, I skal tale om. Måske har borgeren kompetencen, men den
  står ikke i CV'et.
- **Det er en fordel, og det står i CV'et** – ønsker i opslaget, som borgeren opfylder.
- Rejsetid, arbejdstid og ansøgningsfrist står ved hvert job.

Kravene er læst ud af opslagets tekst og kan være ufuldstændige. Rækkefølgen er modellens bud på, hvor godt
jobbet passer; den er **ikke** en vurdering af borgeren. Den interne score siger kun noget om rækkefølgen på
netop denne liste.

## Hvornår du skal være uenig

Stol på din faglighed og på borgeren, når:

- borgeren ikke kan eller vil arbejde i jobbet (helbred, familie, tider, ønsker) – det ved modellen intet om;
- et krav står som opfyldt, men borgeren ikke har det – eller omvendt;
- forslagene kun ligner det, borgeren har lavet før, og I vil se bredere (se også siden **Andre job**);
- rejsetiden er urealistisk i praksis;
- listen virker skæv, fx ens for meget forskellige borgere eller præget af køn, alder eller oprindelse.
  Skriv en begrundelse, så projektgruppen kan se det.

## Sådan tilsidesætter du forslagene

Alle handlinger gemmes i revisionssporet med tid, side og din begrundelse (skriv aldrig CPR-nummer,
helbredsoplysninger eller andre følsomme oplysninger i begrundelsen):

- **Skjul** – jobbet forsvinder fra listen, og det næste rykker op. Kan fortrydes.
- **Ikke relevant** – som skjul, men siger, at forslaget ikke passede. Giv gerne en kort begrundelse.
- **Sæt på joblisten** – jobbet kommer med på borgerens jobliste, som borgeren kan få med hjem.

Hvor siden har knapperne til det, kan du også:

- **Flyt** – ændr rækkefølgen, så det, I vil tale om først, står øverst.
- **Tilføj et job med hånden** – et job, I har fundet et andet sted, kan sættes på listen.

At tilsidesætte forslag er en del af brugen, ikke en fejl. Projektgruppen følger, hvor ofte og hvorfor det
sker. Næsten ingen tilsidesættelser kan være et tegn på, at listen bliver fulgt for ukritisk.

## Stopknappen

**Stopknap: brug ikke modellen** i sidepanelet slår den lærte model fra i din session. Forslagene sorteres så
efter en enkel, gennemsigtig regel: hvor stor en del af jobbets krav der står i CV'et (nærmeste job først ved
lighed). Skærmen siger tydeligt, at reglen bruges, og revisionssporet gemmer metoden.

Brug den, når modellens liste virker forkert, når I vil sammenligne, eller når projektgruppen beder om det.
IT kan slå modellen fra for hele installationen (`JOBMATCH_STOP_MODEL=1`), fx hvis en fairness-rapport
overskrider tærsklerne (eksponeringsforhold under {th.exposure_ratio_min_ok}, ændring ved
invarianstest over {th.invariance_max_top10_change}).

## Det må jobmatch ikke bruges til

- sanktioner eller afgørelser om ydelser;
- rådighedsvurderinger;
- at afgøre, hvilke tilbud eller job en borger skal tage imod;
- risikoscorer eller profilering af borgere, eller at sammenligne borgere med hinanden;
- automatiske afgørelser af nogen art.

## Borgerens rettigheder

Giv borgeren informationen **Til borgeren** (kan printes). Borgeren kan sige nej til, at jobmatch bruges, og
få forklaret, hvorfor et job blev foreslået. Siger borgeren nej, holder I samtalen uden værktøjet – det har
ingen betydning for borgerens sag.

## Fejl og spørgsmål

Virker noget forkert, så skriv det som feedback på forslaget, og giv projektgruppen besked. Tekniske fejl
går til den lokale it-support.
"""


# ---------------------------------------------------------------------------
# the citizen information page (plain Danish, LIX < 40)


def render_citizen_information(ctx: Context) -> str:
    org = ctx.publisher.organisation if ctx.publisher.organisation != TO_FILL else "kommunen"
    contact = ("" if ctx.publisher.contact_email == TO_FILL
               else f" Du kan også skrive til {ctx.publisher.contact_email}.")
    return f"""# Sådan bruger vi jobmatch

Du er til en samtale om job. Din jobkonsulent bruger måske et værktøj, der hedder jobmatch. Her kan du læse,
hvad det gør. Du kan tage papiret med hjem.

## Hvad gør jobmatch?

jobmatch finder job, som passer til dit CV. Det viser kun job, som du kan nå inden for den tid, du vil
bruge på vejen. Det sætter jobbene i en rækkefølge. Ved hvert job står der, hvorfor det er med.

Det er forslag. Du og din konsulent taler om dem. I bestemmer selv. jobmatch træffer ingen afgørelser om
dig.

## Hvilke oplysninger bruger vi?

Vi bruger det, der står i dit CV om job, uddannelse, kurser, kørekort og sprog. Vi bruger også det, du
kan, og hvordan du er som person. Vi bruger dit postnummer til at regne ud, hvor lang tid turen tager.

Vi gør det for at finde job, der passer til dig.

## Det bruger vi ikke

jobmatch bruger ikke:

- dit navn;
- dit køn;
- din alder eller hvornår du er født;
- hvor du eller din familie kommer fra;
- dit helbred;
- din tro, dit parti eller din fagforening;
- dit billede.

Vi fjerner den slags, før værktøjet læser dit CV. Vi tjekker også jævnligt, at forslagene ikke er skæve
for mænd og kvinder, unge og ældre, eller for folk med en anden baggrund.

## Hvad gemmer vi?

Vi gemmer ikke dit CV i jobmatch. Vi gemmer, hvilke job du fik vist, og hvad din konsulent gjorde. Det er
for at kunne se, om værktøjet virker, som det skal. Du står der ikke med navn. Vi gemmer kun en kode.

## Du kan sige nej

Du kan sige nej til, at vi bruger jobmatch. Sig det bare til din konsulent. Så holder I samtalen uden
værktøjet. Det får ingen betydning for din sag eller for dine penge. Det er din ret at gøre
indsigelse.

## Du har ret til en forklaring

Du kan altid spørge, hvorfor et job er med på listen. Og hvorfor et andet job ikke er. Din konsulent kan
vise dig det på skærmen.

## Du kan altid tale med et menneske

Det er din konsulent, der hjælper dig, ikke en maskine. Er du uenig i noget, så sig det. Du kan også klage
til {org}.{contact}

## Vil du vide mere?

Spørg din konsulent. Du kan også læse mere om jobmatch på kommunens hjemmeside.
"""


def citizen_information_pdf(markdown: str) -> bytes:
    """A printable A4 PDF of the citizen page (ReportLab, built-in Helvetica: æ, ø and å print as they are)."""
    import io
    import unicodedata
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

    def latin1(text: str) -> str:
        out = []
        for ch in text.replace("–", "-").replace("’", "'").replace("“", '"').replace("”", '"'):
            try:
                ch.encode("cp1252")
                out.append(ch)
            except UnicodeEncodeError:
                out.append(unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode() or "?")
        return "".join(out)

    def inline(text: str) -> str:
        text = escape(latin1(text))
        return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)

    base = getSampleStyleSheet()
    body = ParagraphStyle("jm-body", parent=base["BodyText"], fontName="Helvetica", fontSize=12, leading=17,
                          spaceAfter=6)
    h1 = ParagraphStyle("jm-h1", parent=base["Title"], fontName="Helvetica-Bold", fontSize=22, leading=27,
                        alignment=0, spaceAfter=10)
    h2 = ParagraphStyle("jm-h2", parent=body, fontName="Helvetica-Bold", fontSize=15, leading=19, spaceBefore=10,
                        spaceAfter=4, textColor=colors.HexColor("#1f3a5f"))
    story: list[Any] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if paragraph:
            story.append(Paragraph(inline(" ".join(paragraph)), body))
            paragraph.clear()
        if bullets:
            story.append(ListFlowable([ListItem(Paragraph(inline(b), body), leftIndent=12) for b in bullets],
                                      bulletType="bullet", start="•", leftIndent=14))
            bullets.clear()

    for raw in markdown.splitlines():
        line = raw.strip()
        if line.startswith("# "):
            flush()
            story.append(Paragraph(inline(line[2:]), h1))
        elif line.startswith("## "):
            flush()
            story.append(Paragraph(inline(line[3:]), h2))
        elif line.startswith("- "):
            if paragraph:
                story.append(Paragraph(inline(" ".join(paragraph)), body))
                paragraph.clear()
            bullets.append(line[2:])
        elif not line:
            flush()
        else:
            if bullets:
                flush()
            paragraph.append(line)
    flush()
    story.append(Spacer(1, 8 * mm))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=20 * mm,
                            bottomMargin=20 * mm, title=latin1("Sådan bruger vi jobmatch"), author="jobmatch",
                            subject=latin1("Information til borgeren"),
                            invariant=1)  # the same text gives the same bytes (the file is committed)
    doc.build(story)
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# public algorithm registers


def _performance_text(ctx: Context) -> str:
    metrics = (ctx.metadata or {}).get("metrics") or {}
    if not metrics:
        return "No model installed; the transparent rule ranking is used."
    model = metrics.get("model", {})
    best = metrics.get("best_baseline")
    base = metrics.get("baselines", {}).get(best, {})
    ci = metrics.get("ndcg@10_gain_ci95") or [None, None]
    text = (f"NDCG@10 {_num(model.get('ndcg@10'))} on the test period against {_num(base.get('ndcg@10'))} for the "
            f"best baseline ({best}); gain 95 % CI [{_num(ci[0])}, {_num(ci[1])}].")
    if ctx.simulated:
        text += " Measured on simulated data only."
    if ctx.fairness:
        text += (f" Fairness: minimum exposure ratio between groups {_num(ctx.fairness.get('exposure_ratio_min'))}; "
                 f"proxy flags: {', '.join(ctx.fairness.get('proxy_check', {}).get('flagged', [])) or 'none'}.")
    return text


def _risks(ctx: Context) -> list[dict[str, str]]:
    return [
        {"risk_name": "Automation bias",
         "risk_description": "Consultants follow the order of the list without judgement.",
         "risk_mitigation": "Reasons instead of scores; hide, pin, reorder and add by hand; override rates are "
                            "monitored by the project team; instructions for use say when to disagree."},
        {"risk_name": "Indirect discrimination",
         "risk_description": "Inputs such as occupation, experience and language correlate with gender, age and "
                             "origin; past hiring may reflect bias.",
         "risk_mitigation": "Protected attributes are never inputs; a fairness report per model version (NDCG and "
                            "exposure per group, proxy check, invariance tests); thresholds in configuration; "
                            "the stop switch."},
        {"risk_name": "Narrowing of horizons",
         "risk_description": "Suggestions mirror the citizen's past occupation and occupational segregation.",
         "risk_mitigation": "An 'other jobs' view of transferable competences; the share of gender-atypical "
                            "suggestions is reported per group."},
        {"risk_name": "Misuse for decisions about benefits or availability",
         "risk_description": "Scores used for sanctions, availability assessments or risk profiling.",
         "risk_mitigation": "Out-of-scope uses stated in the model card, the instructions and this record; no "
                            "citizen-level scores are exported; the audit trail records every ranking shown."},
        {"risk_name": "Personal data in CVs",
         "risk_description": "CVs hold names, addresses, health and other sensitive data.",
         "risk_mitigation": "Personal data is redacted before matching; CV text is never stored or logged; people "
                            "appear in the audit trail only as salted pseudonyms."},
        {"risk_name": "Errors in reading CVs and postings",
         "risk_description": "Competences or requirements are missed or misread.",
         "risk_mitigation": "Evidence from the CV is shown and can be corrected with the citizen; requirements "
                            "are shown per suggestion."},
    ]


def _feature_summary() -> str:
    from jobmatch.features import FEATURES, GROUPS

    groups = []
    for f in FEATURES:
        label = GROUPS[f.group][1]
        if label not in groups:
            groups.append(label)
    return (f"{len(FEATURES)} features of a (CV, posting) pair in these groups: " + ", ".join(groups).lower()
            + ". Never: name, gender, age, origin, health, address (only travel time).")


def atrs_record(ctx: Context) -> dict[str, Any]:
    """The UK Algorithmic Transparency Recording Standard record (v3.0 field names; see module docstring)."""
    p = ctx.publisher
    meta = ctx.metadata or {}
    phase = "Development (pilot on simulated data)" if ctx.simulated else "Production"
    description = ("jobmatch helps a job consultant and a citizen find current job postings that fit the "
                   "citizen's CV within commuting range. It orders postings and explains each suggestion in plain "
                   "Danish; the consultant and the citizen decide.")
    models = [{
        "model_name": "jobmatch job ranking (LightGBM LambdaRank)" if meta else "jobmatch rule ranking",
        "model_version": meta.get("version") or "rule",
        "model_task": "Order current job postings by how well they fit a citizen's CV (learning to rank).",
        "model_input": _feature_summary(),
        "model_output": "An order of postings with reasons (requirements met and missing); an internal score "
                        "only used for ordering.",
        "model_architecture": ("Gradient-boosted decision trees (LightGBM LGBMRanker, objective lambdarank, "
                               f"{meta.get('best_iteration')} trees)" if meta else
                               "Rule: share of the posting's named requirements found in the CV."),
        "model_performance": _performance_text(ctx),
        "datasets": ["jobmatch demo world (simulated)" if ctx.simulated else "municipal postings and interaction log"],
        "dataset_purposes": ["training (before the validation date)", "validation (early stopping)",
                             "testing and fairness report (after the test date)"],
    }]
    record = {
        "standard": "UK Algorithmic Transparency Recording Standard",
        "standard_version": "3.0",
        "metadata": {"title": f"{p.organisation}: jobmatch", "organisation": p.organisation,
                     "function": "Employment and labour market", "phase": phase,
                     "geographic_region": "Denmark, Capital Region (Københavns Kommune and neighbouring municipalities)",
                     "last_updated": ctx.generated_on, "model_version": meta.get("version"),
                     "data_version": ctx.data_version},
        "tier_1": {
            "name": "jobmatch",
            "description": description,
            "website": p.website,
            "contact_email": p.contact_email,
            "organisation": p.organisation,
            "function": "Employment and labour market (job centre services)",
            "phase": phase,
            "geographic_region": "Denmark, Capital Region",
        },
        "tier_2": {
            "owner_and_responsibility": {
                "organisation": p.organisation, "team": p.team, "senior_responsible_owner": p.senior_responsible_owner,
                "external_supplier_involvement": "No — open-source software run by the municipality.",
                "external_suppliers": [],
                "data_access_terms": "No external party has access to citizens' data.",
            },
            "description_and_rationale": {
                "detailed_description": (
                    description + " The citizen's CV is read (personal data redacted first), competences and "
                    "occupations are extracted with a Danish/English taxonomy, postings within the chosen travel "
                    "time are retrieved, a learned ranking model orders them, and the reasons shown are the "
                    "posting's requirements found and missing in the CV. A transparent rule ranking replaces the "
                    "model when the stop switch is on."),
                "scope": ("Designed to suggest job postings in a consultation. Not designed for, and must not be used "
                          "for: sanctions, availability assessments, benefit decisions, risk scoring or profiling of "
                          "citizens, or any automated decision."),
                "benefit": ("Consultants and citizens see relevant current postings across many sources quickly, with "
                            "reasons that can be discussed; more time for the conversation."),
                "previous_process": "Consultants searched job boards by hand or used keyword search.",
                "alternatives_considered": ("Keyword search (TF-IDF), the rule ranking (requirements met) and "
                                            "nearest-first ordering are measured as baselines; the rule ranking "
                                            "remains available as the stop switch."),
            },
            "decision_making_process": {
                "process_integration": ("Used during a consultation at one screen. The list informs the conversation; "
                                        "the consultant and citizen choose jobs to apply for."),
                "provided_information": ("Ordered postings with title, employer, place, travel time, deadline, hours "
                                         "and reasons (requirements found and missing in the CV)."),
                "frequency_and_scale_of_usage": "Per consultation; pilot in the Capital Region.",
                "human_decisions_and_review": ("The consultant can hide, mark not relevant, pin, reorder or add jobs; "
                                               "each action is logged. A stop switch per session and per deployment "
                                               "falls back to the rule ranking. The project team reviews override "
                                               "rates and the fairness report of every model version."),
                "required_training": ("Consultants read the instructions for use (instructions_for_use.md) before use; "
                                      "the project team is introduced to the fairness report and oversight page."),
                "appeals_and_review": ("The tool makes no decision. Citizens can object to its use and ask why a job "
                                       "was suggested; complaints go to the municipality through its normal channels."),
            },
            "tool_specification": {
                "system_architecture": f"Open source; README.md and docs/ of the source code ({p.codebase})",
                "phase": phase,
                "maintenance": ("Each new model version is evaluated against baselines and gets a fairness report; "
                                "documents are regenerated with `python -m jobmatch docs build`. Audit records are "
                                "kept for the configured retention period."),
                "models": models,
            },
            "data_specification": {
                "source_data_name": "jobmatch demo world" if ctx.simulated else "municipal postings and interaction log",
                "data_modality": "Text (CVs, postings) and tabular (events, postcodes)",
                "data_description": ("Job postings, citizens' CVs and a log of postings shown, applications, "
                                     "interviews and hires."),
                "data_quantities": (f"{_int((ctx.world or {}).get('postings_total'))} postings, "
                                    f"{_int((ctx.world or {}).get('citizens'))} citizens, "
                                    f"{_int((ctx.world or {}).get('interactions'))} events"),
                "sensitive_attributes": ("CVs may contain sensitive data; it is redacted before use and not stored. "
                                         "Gender, age band and origin are used only to measure fairness, never as "
                                         "inputs."),
                "data_completeness_and_representativeness": (
                    "Simulated data: representative of nothing real; see the datasheet." if ctx.simulated else
                    "Municipal data: see the municipality's data protection impact assessment."),
                "source_data_url": "Not published (regenerable with `python -m jobmatch data build`)." if ctx.simulated
                else "Not published (personal data).",
                "data_collection": ("Generated by jobmatch.demo." if ctx.simulated else
                                    "Collected in the job centre's normal work."),
                "data_cleaning": "Personal data in CVs is redacted; unknown postings and citizens are dropped.",
                "data_sharing_agreements": "None; data stays with the municipality.",
                "data_access_and_storage": ("CV text is held in the browser session only. Audit records hold "
                                            "pseudonyms, posting ids, scores and actions, kept for the configured "
                                            "retention period."),
            },
            "risks_mitigations_and_impact_assessments": {
                "impact_assessments": [
                    {"assessment_title": "Data protection impact assessment (DPIA)", "assessment_description": TO_FILL,
                     "date_completed": TO_FILL, "link": TO_FILL},
                    {"assessment_title": "Fairness report of the model version",
                     "assessment_description": _performance_text(ctx),
                     "date_completed": str((ctx.fairness or {}).get("created_at", TO_FILL))[:10],
                     "link": "docs/generated/fairness_report.md"},
                    {"assessment_title": "Ethics register", "assessment_description":
                        "Ethical questions raised by consultants, citizens, the DPO and IT, with assessments and "
                        "decisions.", "date_completed": ctx.generated_on,
                     "link": "python -m jobmatch ethics export (Markdown)"},
                ],
                "risks": _risks(ctx),
            },
        },
        "to_complete": sorted(set(p.missing) | {"impact_assessments[DPIA]"}),
    }
    return record


def eurocities_record(ctx: Context) -> dict[str, Any]:
    """The Eurocities Algorithmic Transparency Standard record (v0.3.1 attribute names)."""
    p = ctx.publisher
    meta = ctx.metadata or {}
    today = dt.date.fromisoformat(ctx.generated_on)
    record_id = uuid.uuid5(uuid.NAMESPACE_URL, f"jobmatch/{p.organisation}")
    explanation = (
        "For one citizen at a time, jobmatch reads the CV (personal data such as name, address, birth date, "
        "gender and health is redacted first) and extracts professional and personal competences, occupations "
        "held with years, education level, languages, driving licences and certificates using a Danish and "
        "English taxonomy. It retrieves open job postings within the travel time the citizen chooses "
        "(estimated from postcodes and transport mode) that are plausible for the CV. For each posting it "
        "computes features of the pair: share of the posting's essential and optional requirements found in the "
        "CV, missing licences and certificates, text similarity, experience in the same occupation group, "
        "education gap, language fit, travel time, hours fit and posting age. A gradient-boosted ranking model "
        "(LightGBM LambdaRank) trained on past postings shown, applications, interviews and hires orders the "
        "postings. The consultant sees each suggestion with its reasons (requirements found and missing) and "
        "can hide, pin, reorder or add jobs; each action is logged. A stop switch replaces the model by a "
        "transparent rule (share of requirements found). Protected attributes are never inputs; a fairness "
        "report per model version measures quality and exposure per group, a proxy check and invariance tests.")
    return {
        "standard_version": "0.3.1",
        "uuid": str(record_id),
        "lang": "en",
        "publication_date": ctx.generated_on,
        "last_change_date": ctx.generated_on,
        "revision_date": (today + dt.timedelta(days=365)).isoformat(),
        "revision_note": "yearly, and with every new model version",
        "keywords": "employment, job matching, job centre, recommender, decision support",
        "name": "jobmatch",
        "organization": p.organisation,
        "department": p.team,
        "country": "Denmark",
        "contact_email": p.contact_email,
        "contact_phone": p.phone,
        "contact_name": p.senior_responsible_owner,
        "description_short": "Suggests current job postings that fit a citizen's CV, with reasons, in a consultation.",
        "website": p.website,
        "status": "development" if ctx.simulated else "pilot",
        "remark": ("Trained and evaluated on simulated data; to be retrained and re-evaluated on municipal data "
                   "before operational use." if ctx.simulated else ""),
        "decision_making_process": ("Employment guidance in the job centre (lov om en aktiv beskæftigelsesindsats). "
                                    "The tool supports the conversation; it takes no decision."),
        "domain": "work and career",
        "area": "Capital Region of Denmark (Københavns Kommune and neighbouring municipalities)",
        "goal": ("Help citizens and consultants find relevant current jobs quickly and discuss them with reasons, "
                 "so more time goes to the conversation."),
        "impact": ("Citizens see job suggestions during a consultation; the list may influence which jobs they "
                   "consider. No decision about the citizen is made by the tool; the citizen can object to its use."),
        "risks": "; ".join(f"{r['risk_name']}: {r['risk_mitigation']}" for r in _risks(ctx)),
        "risk_category": "high risk",
        "proportionality": ("Decision support only, with reasons, human override and a stop switch; no sensitive "
                            "data as input; benefits (relevant suggestions, time for the conversation) outweigh "
                            "the residual risks, which are monitored per model version."),
        "lawful_basis": (f"{TO_FILL}: expected GDPR art. 6(1)(e) (public task) with lov om en aktiv "
                         "beskæftigelsesindsats; to be confirmed by the municipality's legal team and DPO."),
        "documentation": "docs/generated/model_card.md",
        "training_data": ("Simulated demo world (postings, CVs, shown/applied/interview/hired log); see "
                          "datasheet.md." if ctx.simulated else "Municipal postings and interaction log."),
        "source_data": ("The citizen's CV (redacted), the chosen postcode, transport mode and travel time, and the "
                        "current job postings."),
        "data_bias": ("Careers are segregated by gender and shaped by age and origin; past hiring may carry bias. "
                      "Measured per model version in the fairness report (exposure ratio "
                      f"{_num((ctx.fairness or {}).get('exposure_ratio_min'))})."),
        "connected_data_sources": "None (no connection to CPR or case systems); postings are imported as files.",
        "DPIA_description": TO_FILL,
        "DPIA_url": TO_FILL,
        "description": explanation,
        "algorithm_type": "hybrid",
        "methods_and_models": "Taxonomy-based information extraction; TF-IDF; gradient-boosted ranking "
                              "(LightGBM LambdaRank); rule-based fallback.",
        "performance": _performance_text(ctx),
        "alternatives_considered": ("Keyword search, rule-based matching and nearest-first are measured as baselines; "
                                    "the rule-based matching is kept as the stop switch."),
        "product_information": p.codebase,
        "codebase_url": p.codebase,
        "product_page": p.website,
        "AIA_description": ("Fairness report per model version (per-group NDCG@10 and exposure with bootstrap "
                            "intervals, proxy check, invariance tests) and an ethics register."),
        "AIA_url": "docs/generated/fairness_report.md",
        "type": "predictive",
        "monitoring": ("Every model version: evaluation against baselines on a held-out period and a fairness report "
                       "with thresholds in configuration. In use: override rates by page and reason, and the "
                       "hash-chained audit trail of every ranking shown."),
        "human_intervention": ("The consultant decides together with the citizen and can hide, mark not relevant, "
                               "pin, reorder or add jobs; a stop switch per session and per deployment replaces the "
                               "model by a transparent rule."),
        "objection_procedure": ("The citizen can object to the use of jobmatch at any time; the consultation then "
                                "continues without it, with no consequence for the citizen's case. Complaints "
                                "through the municipality's normal channels."),
        "rollback": ("The stop switch (JOBMATCH_STOP_MODEL=1) or restoring an earlier model version "
                     "(python -m jobmatch model ...) takes effect immediately; suggestions never changed a decision."),
        "model_version": meta.get("version"),
        "to_complete": sorted(set(p.missing) | {"DPIA_description", "DPIA_url", "lawful_basis"}),
    }


# ---------------------------------------------------------------------------
# building, checking


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_documents(out: Path | None = None, *, fairness: dict[str, Any] | None = None,
                    models_folder: Path | None = None, world_folder: Path | None = None,
                    today: dt.date | None = None) -> dict[str, Path]:
    """Write every document of :data:`DOCUMENTS` into ``out`` (default ``docs/generated``); returns name → path."""
    from jobmatch.fairness import to_json

    out = Path(out) if out is not None else docs_dir()
    out.mkdir(parents=True, exist_ok=True)
    ctx = collect(models_folder, world_folder, fairness, today)
    citizen_md = render_citizen_information(ctx)
    texts: dict[str, str | bytes] = {
        "model_card.md": render_model_card(ctx),
        "fairness_report.md": render_fairness(fairness),
        "fairness_report.json": to_json(fairness) if fairness else json.dumps(
            {"groups": {}, "exposure_ratio_min": None, "proxy_check": {}, "model_version": ctx.model_version,
             "data_version": ctx.data_version, "note": "no fairness report yet: python -m jobmatch fairness"},
            indent=2) + "\n",
        "datasheet.md": render_datasheet(ctx),
        "instructions_for_use.md": render_instructions(ctx),
        "citizen_information.md": citizen_md,
        "citizen_information.pdf": citizen_information_pdf(citizen_md),
        "atrs.json": json.dumps(atrs_record(ctx), indent=2, ensure_ascii=False) + "\n",
        "eurocities_register.json": json.dumps(eurocities_record(ctx), indent=2, ensure_ascii=False) + "\n",
    }
    written: dict[str, Path] = {}
    for name, content in texts.items():
        path = out / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        written[name] = path
    manifest = {
        "generated_on": ctx.generated_on,
        "model_version": ctx.model_version,
        "data_version": ctx.data_version,
        "fairness_report": {"model_version": fairness.get("model_version"), "created_at": fairness.get("created_at")}
        if fairness else None,
        "simulated_data": ctx.simulated,
        "files": {name: {"sha256": _sha256(path), "bytes": path.stat().st_size} for name, path in written.items()},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    written["manifest.json"] = out / "manifest.json"
    return written


def read_manifest(folder: Path | None = None) -> dict[str, Any] | None:
    path = Path(folder or docs_dir()) / "manifest.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def stale(folder: Path | None = None, models_folder: Path | None = None) -> list[str]:
    """Why the generated documents no longer describe the installed model (empty list = current)."""
    from jobmatch import registry

    manifest = read_manifest(folder)
    if manifest is None:
        return ["the documents have not been generated: python -m jobmatch docs build"]
    problems = []
    try:
        version = registry.load_model(models_folder).version
    except (registry.ModelMissingError, registry.ModelCompatibilityError):
        version = None
    if manifest.get("model_version") != version:
        problems.append(f"the documents describe model {manifest.get('model_version')}, the installed model is "
                        f"{version}: python -m jobmatch docs build")
    elif not manifest.get("fairness_report") and version is not None:
        problems.append("the documents have no fairness report: python -m jobmatch fairness, then docs build")
    folder = Path(folder or docs_dir())
    for name, info in (manifest.get("files") or {}).items():
        path = folder / name
        if not path.exists():
            problems.append(f"{name} is missing")
        elif _sha256(path) != info.get("sha256"):
            problems.append(f"{name} was changed by hand after it was generated")
    return problems


def markdown_headings(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if re.match(r"^#{1,6} ", line)]
