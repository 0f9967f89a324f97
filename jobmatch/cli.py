"""``python -m jobmatch`` — the command line over the library.

Every command is a thin wrapper around library functions, has ``--help``, and
commands that return data take ``--json`` (one JSON document on stdout).
Expected problems (a bad file, missing data) print one line on stderr and exit
with status 2; nothing prints a traceback at a user.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from jobmatch import __version__


class UserError(Exception):
    """An expected problem to report in one line (exit status 2)."""


# ---------------------------------------------------------------------------
# helpers


def _print_json(obj: Any) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def _print_table(rows: dict[str, Any]) -> None:
    width = max(len(k) for k in rows) if rows else 0
    for key, value in rows.items():
        print(f"{key.ljust(width)}  {value}")


# ---------------------------------------------------------------------------
# data


def cmd_data_build(args: argparse.Namespace) -> int:
    from jobmatch.demo.build import build_world

    started = time.perf_counter()
    info = build_world(seed=args.seed, rebuild=args.rebuild, progress=not args.quiet)
    elapsed = time.perf_counter() - started
    if args.json:
        _print_json({**info, "seconds": round(elapsed, 1)})
    else:
        verb = "Built" if info.get("built") else "Reused"
        print(f"{verb} demo world in {info['path']} ({elapsed:.1f} s, data version {info['data_version']})")
    return 0


def cmd_data_stats(args: argparse.Namespace) -> int:
    from jobmatch.world import world_stats

    stats = world_stats()
    if args.json:
        _print_json(stats)
    else:
        _print_table(stats)
    return 0


def cmd_personas(args: argparse.Namespace) -> int:
    from jobmatch.personas import list_personas

    personas = [p.to_dict() for p in list_personas()]
    if args.json:
        _print_json(personas)
    else:
        for p in personas:
            print(f"{p['id']:<22} {p['lang']}  {p['postcode']}  {p['name']}  ({p['path']})")
    return 0


def cmd_taxonomy_stats(args: argparse.Namespace) -> int:
    from jobmatch.taxonomy import load_taxonomy

    tax = load_taxonomy()
    stats = {
        "source": tax.source,
        "occupations": len(tax.occupations),
        "competences": len(tax.competences),
        "personal_competences": int((tax.competences["kind"] == "personal").sum()),
        "relations": len(tax.relations),
        "industries": len(tax.industries),
        "problems": tax.validate(),
    }
    if args.json:
        _print_json(stats)
    else:
        _print_table(stats)
    return 0 if not stats["problems"] else 1


def cmd_taxonomy_import_esco(args: argparse.Namespace) -> int:
    from pathlib import Path

    from jobmatch.esco_import import cli_summary, import_esco_to

    try:
        tax = import_esco_to(Path(args.folder), Path(args.out), lang=args.lang,
                             english_folder=Path(args.english) if args.english else None)
    except (FileNotFoundError, ValueError) as exc:
        raise UserError(str(exc)) from exc
    summary = cli_summary(tax)
    if args.json:
        _print_json(summary)
    else:
        _print_table(summary)
        print(f"Set JOBMATCH_TAXONOMY_DIR={args.out} to use it.")
    return 0


# ---------------------------------------------------------------------------
# CV understanding (issue 3): parse, extract, classify, quality
# (one block: the functions below plus one call in build_parser)

_LANG_CHOICES = ("da", "en", "auto")


def _lang_arg(value: str) -> str | None:
    return None if value == "auto" else value


def cmd_parse(args: argparse.Namespace) -> int:
    from pathlib import Path

    from jobmatch import messages
    from jobmatch.cv import CVReadError
    from jobmatch.cvparse import parse_file

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError("Filen findes ikke." if args.ui_lang == "da" else "The file does not exist.") from None
    except OSError:
        raise UserError("Filen kan ikke åbnes." if args.ui_lang == "da" else "The file cannot be opened.") from None
    try:
        profile = parse_file(data, path.name, lang=_lang_arg(args.lang))
    except CVReadError as exc:
        raise UserError(exc.message(args.ui_lang)) from None
    out = profile.to_dict()
    if args.json:
        _print_json(out)
        return 0
    for code in profile.notices:
        print(f"! {messages.message(code, args.ui_lang)}")
    print(f"lang: {out['lang']}   education: {out['education_level'] or '-'}   "
          f"licences: {', '.join(out['licences']) or '-'}")
    for o in profile.occupations:
        print(f"occupation  {o.title} (ISCO {o.isco}, {o.years:g} years)")
    for lang in profile.languages:
        print(f"language    {lang.language}: {lang.level}")
    for m in profile.competences:
        flag = "  [negated]" if m.negated else ""
        print(f"{m.kind:<12} {m.group:<4} {m.label}  ({m.confidence:.2f}){flag}")
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from jobmatch.competences import extract, spans_to_dicts

    lang = _lang_arg(args.lang)
    if not args.jsonl:
        text = sys.stdin.read()
        _print_json(spans_to_dicts(extract(text, lang)))
        return 0
    bad = 0
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text = item["text"] if isinstance(item, dict) else None
            if not isinstance(text, str):
                raise ValueError
        except (ValueError, KeyError):
            # never echo the line: it may be CV text
            print(f"jobmatch: line {number} is not a JSON object with a \"text\" string; wrote []", file=sys.stderr)
            bad += 1
            text = ""
        sys.stdout.write(json.dumps(spans_to_dicts(extract(text, lang)) if text else [], ensure_ascii=False))
        sys.stdout.write("\n")
        sys.stdout.flush()
    return 0


def cmd_classify(args: argparse.Namespace) -> int:
    from jobmatch.classify import classify_phrase

    lang = _lang_arg(args.lang) or "da"
    for line in sys.stdin:
        phrase = line.strip()
        sys.stdout.write((classify_phrase(phrase, lang) if phrase else "K99") + "\n")
        sys.stdout.flush()
    return 0


def cmd_quality(args: argparse.Namespace) -> int:
    from pathlib import Path

    from jobmatch import quality

    folder = Path(args.data) if args.data else quality.data_dir()
    if not quality.available(folder):
        reason = f"Kompetencer data not found in {folder}; quality check skipped"
        if args.json:
            _print_json({"skipped": True, "reason": reason})
        print(f"jobmatch: {reason}", file=sys.stderr)
        return 0
    started = time.perf_counter()
    result = {
        "data": str(folder),
        "classify": quality.classify_f1(folder),
        "extract": quality.extract_prf(folder),
    }
    result["seconds"] = round(time.perf_counter() - started, 1)
    if args.json:
        _print_json(result)
    else:
        c, e = result["classify"], result["extract"]
        print(f"classify: weighted F1 {c['weighted_f1']:.3f} (accuracy {c['accuracy']:.3f}, n={c['n']})")
        print(f"extract:  precision {e['precision']:.3f}  recall {e['recall']:.3f}  F1 {e['f1']:.3f} "
              f"({e['gold_spans']} gold spans, {e['sentences']} sentences)")
    return 0


def _add_cv_commands(sub: Any, add: Callable[..., argparse.ArgumentParser]) -> None:
    """Register parse, extract, classify and quality (CV understanding)."""
    p = add(sub, "parse", cmd_parse,
            "read a CV file (PDF, DOCX, ODT, TXT) and print its competence profile", json_flag=True)
    p.add_argument("file", help="the CV file")
    p.add_argument("--lang", choices=_LANG_CHOICES, default="auto", help="language of the CV (default: detect)")
    p.add_argument("--ui-lang", choices=("da", "en"), default="da", help="language of messages (default: da)")
    p = add(sub, "extract", cmd_extract,
            "find competence mentions in text on stdin (with --jsonl: one JSON line {\"text\": ...} in, "
            "one JSON list of spans out, per line)")
    p.add_argument("--lang", choices=_LANG_CHOICES, default="auto", help="language of the texts (default: detect)")
    p.add_argument("--jsonl", action="store_true", help="JSON lines in and out (else: all of stdin is one text)")
    p = add(sub, "classify", cmd_classify,
            "read one competence phrase per line on stdin, write one ESCO group code per line")
    p.add_argument("--lang", choices=_LANG_CHOICES, default="da", help="language of the phrases (default: da)")
    p = add(sub, "quality", cmd_quality,
            "measure extraction and classification on the shared Kompetencer data (skips when absent)",
            json_flag=True)
    p.add_argument("--data", default=None, help="folder with 2_da_train.tsv and kompetencer_danish_train.conll")


# --- end of CV understanding block ---------------------------------------


# ---------------------------------------------------------------------------
# Ranking (issue 4): train, evaluate, rank, bench, model ensure/info
# (one block: the functions below plus one call in build_parser)


def _ranking_user_errors() -> tuple[type[BaseException], ...]:
    """Expected problems of the ranking commands, reported in one line."""
    from jobmatch.ranker import TrainingDataError
    from jobmatch.registry import ModelCompatibilityError, ModelMissingError
    from jobmatch.retrieval import SearchSettingsError
    from jobmatch.world import WorldMissingError

    return (TrainingDataError, ModelCompatibilityError, ModelMissingError, SearchSettingsError, WorldMissingError)


def cmd_train(args: argparse.Namespace) -> int:
    from pathlib import Path

    from jobmatch.ranker import Progress, load_train_config, read_interactions
    from jobmatch.registry import train_and_register

    progress = Progress(enabled=not args.quiet)
    try:
        cfg = load_train_config(Path(args.config) if args.config else None)
        interactions = read_interactions(Path(args.interactions)) if args.interactions else None
        started = time.perf_counter()
        model = train_and_register(interactions=interactions, out=Path(args.out) if args.out else None,
                                   train_config=cfg, progress=progress,
                                   interactions_source=Path(args.interactions).name if args.interactions else "world")
    except _ranking_user_errors() as exc:
        raise UserError(str(exc)) from None
    except ValueError as exc:  # a bad training config
        raise UserError(str(exc)) from None
    meta = model.metadata
    summary = {"version": model.version, "folder": str(model.folder), "model_bytes": meta.get("model_bytes"),
               "best_iteration": meta.get("best_iteration"), "seconds": round(time.perf_counter() - started, 1),
               "metrics": meta.get("metrics", {})}
    if args.json:
        _print_json(summary)
    else:
        m = summary["metrics"]
        print(f"Model {model.version} saved in {model.folder} ({summary['model_bytes'] / 1024:.0f} KiB, "
              f"{summary['best_iteration']} trees, {summary['seconds']} s)")
        if m:
            best = m["best_baseline"]
            print(f"test NDCG@10: model {m['model']['ndcg@10']:.3f}, best baseline {best} "
                  f"{m['baselines'][best]['ndcg@10']:.3f}, gain 95 % CI {m['ndcg@10_gain_ci95']}")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from jobmatch.evaluate import evaluate
    from jobmatch.ranker import Progress

    try:
        result = evaluate(progress=Progress(enabled=not args.json and not args.quiet))
    except _ranking_user_errors() as exc:
        raise UserError(str(exc)) from None
    if args.json:
        _print_json(result)
        return 0
    names = ["ndcg@5", "ndcg@10", "map@10", "recall@10", "recall@50", "mrr"]
    print(f"{'':<10}" + "".join(f"{n:>11}" for n in names))
    for label, values in [("model", result["model"]), *result["baselines"].items()]:
        print(f"{label:<10}" + "".join(f"{values[n]:>11.3f}" for n in names))
    print(f"NDCG@10 gain over {result['best_baseline']}: 95 % CI {result['ndcg@10_gain_ci95']}"
          f" ({'beats' if result['beats_every_baseline'] else 'does NOT beat'} every baseline)")
    return 0


def cmd_rank(args: argparse.Namespace) -> int:
    from jobmatch.ranking import RankingEngine

    if args.top < 1 or args.top > 500:
        raise UserError("--top must be between 1 and 500")
    profile, settings = _read_cv_and_settings(args)
    try:
        engine = RankingEngine.load(progress=not args.json)
        # every result carries its reasons (explanations, issue 5: jobmatch.reasons)
        from jobmatch.reasons import rank_with_reasons

        result = rank_with_reasons(engine, profile, settings, top=args.top, use_model=not args.rule, lang=args.lang)
    except _ranking_user_errors() as exc:
        raise UserError(str(exc)) from None
    if args.json:
        doc = result.to_dict()
        if not args.details:
            for r in doc["results"]:
                r.pop("reason_details", None)
        _print_json(doc)
        return 0
    for code in result.notices:
        print(f"! {code}")
    for i, r in enumerate(result.results, start=1):
        print(f"{i:>3}. {r['score']:>8.3f}  {r['travel_minutes']:>3} min  {r['postcode']}  {r['title']} — {r['employer']}"
              f"  ({r['posting_id']})")
        for d in r.get("reason_details", []):
            print(f"       {d['direction']} {d['text_en'] if args.lang == 'en' else d['text']}")
    t = result.timing_ms
    print(f"{result.candidates} candidates of {result.in_range} postings in range; {t['total']:.0f} ms "
          f"(retrieval {t['retrieval']:.0f}, features {t['features']:.0f}, predict {t['predict']:.0f}); "
          f"ranking: {result.method}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from jobmatch.bench import DEFAULT_SIZES, run_bench
    from jobmatch.ranker import Progress

    sizes = tuple(args.postings) if args.postings else DEFAULT_SIZES
    if any(n < 1 or n > 2_000_000 for n in sizes):
        raise UserError("--postings must be between 1 and 2,000,000")
    try:
        result = run_bench(sizes, queries=args.queries, repeats=args.repeats,
                           progress=Progress(enabled=not args.quiet))
    except _ranking_user_errors() as exc:
        raise UserError(str(exc)) from None
    if args.json:
        _print_json(result)
        return 0
    for r in result["runs"]:
        print(f"{r['postings']:>9,} postings: p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms "
              f"(retrieval {r['retrieval_ms']:.1f}, features {r['features_ms']:.1f}, predict {r['predict_ms']:.1f}); "
              f"{r['ratio_to_predict']}x predict alone; naive {r['naive_ratio']}x slower; RSS {r['rss_mb']:.0f} MB")
    return 0


def cmd_model_ensure(args: argparse.Namespace) -> int:
    from jobmatch import registry, world
    from jobmatch.ranker import Progress

    if registry.is_compatible():
        info = registry.model_info()
        print(f"Model {info.get('version')} in {info['folder']} is compatible; nothing to do.")
        return 0
    if not world.exists():
        raise UserError("No compatible model and no data world to train one on. Run: python -m jobmatch data build")
    print("No compatible model; training one on the demo world ...", file=sys.stderr)
    try:
        model = registry.train_and_register(progress=Progress(enabled=not args.quiet))
    except _ranking_user_errors() as exc:
        raise UserError(str(exc)) from None
    print(f"Model {model.version} saved in {model.folder}")
    return 0


def cmd_model_info(args: argparse.Namespace) -> int:
    from jobmatch import registry

    info = registry.model_info()
    if args.json:
        _print_json(info)
        return 0
    if not info["present"]:
        print(info["problem"])
        return 1
    metrics = info.get("metrics", {})
    rows = {"version": info.get("version"), "folder": info["folder"], "compatible": info["compatible"],
            "created": info.get("created_at"), "data version": info.get("data_version"),
            "file size": f"{(info.get('model_bytes') or 0) / 1024:.0f} KiB", "trees": info.get("best_iteration"),
            "test NDCG@10": metrics.get("model", {}).get("ndcg@10"),
            "archived versions": len(info.get("versions", []))}
    if info.get("problem"):
        rows["problem"] = info["problem"]
    _print_table(rows)
    return 0 if info["compatible"] else 1


def _add_ranking_commands(sub: Any, add: Callable[..., argparse.ArgumentParser]) -> None:
    """Register train, evaluate, rank, bench and model ensure/info (ranking engine)."""
    from jobmatch.geo import MODES

    p = add(sub, "train", cmd_train,
            "train the LightGBM ranking model from an interactions log and make it the default model",
            json_flag=True)
    p.add_argument("--interactions", default=None,
                   help="CSV or Parquet log with citizen_id, posting_id, event, timestamp (default: the demo world's)")
    p.add_argument("--out", default=None, help="model registry folder (default: models/ or JOBMATCH_MODELS_DIR)")
    p.add_argument("--config", default=None, help="training config JSON (default: models/train_config.json)")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    p = add(sub, "evaluate", cmd_evaluate,
            "compare the default model with the tfidf, overlap and distance baselines on the test period",
            json_flag=True)
    p.add_argument("--quiet", action="store_true", help="no progress output")
    p = add(sub, "rank", cmd_rank, "rank current job postings for a CV file", json_flag=True)
    p.add_argument("file", help="the CV file (PDF, DOCX, ODT or TXT)")
    p.add_argument("--postcode", required=True, help="home postcode, e.g. 2400")
    p.add_argument("--mode", choices=MODES, default="public", help="transport mode (default: public)")
    p.add_argument("--max-minutes", type=float, default=45.0, help="maximum travel time in minutes (default: 45)")
    p.add_argument("--hours", choices=("full", "part"), default=None, help="wanted working hours (default: either)")
    p.add_argument("--focus", action="append", metavar="OCCUPATION",
                   help="only postings in this occupation id or ISCO prefix (repeatable)")
    p.add_argument("--sector", action="append", metavar="INDUSTRY", help="only postings in this industry (repeatable)")
    p.add_argument("--top", type=int, default=10, help="number of postings to show (default: 10)")
    p.add_argument("--rule", action="store_true",
                   help="rank by the transparent rule score instead of the learned model (stop switch)")
    p.add_argument("--lang", choices=("da", "en"), default="da", help="language of the reasons (default: da)")
    p.add_argument("--details", action="store_true",
                   help="with --json: add each result's structured reasons (direction, group, evidence)")
    p = add(sub, "bench", cmd_bench, "measure ranking speed and memory at several index sizes", json_flag=True)
    p.add_argument("--postings", type=int, nargs="+", default=None, metavar="N",
                   help="index sizes (default: 10000 50000 200000)")
    p.add_argument("--queries", type=int, default=20, help="demo citizens to rank per size (default: 20)")
    p.add_argument("--repeats", type=int, default=3, help="rankings per citizen (default: 3)")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    model = sub.add_parser("model", help="the ranking model registry", description="Inspect and set up the ranking model.")
    model_sub = model.add_subparsers(dest="model_command", metavar="SUBCOMMAND")
    p = add(model_sub, "ensure", cmd_model_ensure,
            "make sure a compatible default model exists (trains one on the demo world if not)")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    add(model_sub, "info", cmd_model_info, "version, metrics and compatibility of the default model", json_flag=True)


# --- end of ranking block ----------------------------------------------------


# ---------------------------------------------------------------------------
# database, audit trail and ethics register (issues 7 and 8)
# (one block: the functions below plus one call in build_parser)


def _db_call(func: Callable[[], Any]) -> Any:
    """Run a database operation; expected problems (no server, not migrated, bad URL) become one line."""
    from sqlalchemy.exc import SQLAlchemyError

    from jobmatch.db import DatabaseError, connection_error

    try:
        return func()
    except DatabaseError as exc:
        raise UserError(str(exc)) from None
    except SQLAlchemyError as exc:
        raise UserError(str(connection_error(exc))) from None
    except ValueError as exc:  # a bad setting, e.g. JOBMATCH_AUDIT_RETENTION_DAYS
        raise UserError(str(exc)) from None


def _ready_session_factory() -> Any:
    """The configured database's session factory, after checking it is migrated."""
    from jobmatch import db

    db.require_current()
    return db.session_factory()


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from jobmatch import db

    status = _db_call(db.upgrade)
    if args.json:
        _print_json(status)
    else:
        print(f"Database {status['url']} is at revision {', '.join(status['current'])} (the newest).")
    return 0


def cmd_db_current(args: argparse.Namespace) -> int:
    from jobmatch import db

    status = _db_call(db.schema_status)
    if args.json:
        _print_json(status)
    else:
        _print_table({**status, "current": ", ".join(status["current"]) or "-", "head": ", ".join(status["head"])})
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from jobmatch.audit import AuditLog

    result = _db_call(lambda: AuditLog(_ready_session_factory()).verify())
    if args.json:
        _print_json(result.to_dict())
    elif result.ok:
        print(f"Audit trail intact ({result.reason}; {result.checked} records checked).")
        if result.head_hash:
            print(f"Head: record {result.head_seq}, hash {result.head_hash}")
    else:
        print(f"Audit trail BROKEN at record {result.first_bad_seq}: {result.reason}")
    return 0 if result.ok else 1


def cmd_audit_purge(args: argparse.Namespace) -> int:
    from jobmatch import config
    from jobmatch.audit import AuditChainBroken, AuditLog

    days = args.days if args.days is not None else _db_call(config.audit_retention_days)
    if days < 1:
        raise UserError("--days must be at least 1")
    try:
        result = _db_call(lambda: AuditLog(_ready_session_factory()).purge_older_than(days))
    except AuditChainBroken as exc:
        if args.json:
            _print_json({"refused": True, "verify": exc.result.to_dict()})
        print(f"jobmatch: purge refused, {exc}; nothing was deleted", file=sys.stderr)
        return 1
    if args.json:
        _print_json(result.to_dict())
    else:
        print(f"Deleted {result.deleted} audit records, {result.actions_deleted} consultant actions and "
              f"{result.feedback_deleted} feedback rows older than {days} days (before {result.cutoff}).")
    return 0


def cmd_audit_export(args: argparse.Namespace) -> int:
    from jobmatch.audit import AuditLog

    log = AuditLog(_db_call(_ready_session_factory))
    if args.json:
        _print_json(_db_call(log.export))
        return 0
    for record in _db_call(lambda: list(log.iter_records())):
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


def cmd_ethics_seed(args: argparse.Namespace) -> int:
    from jobmatch.ethics import SEED, seed_register

    inserted = _db_call(lambda: seed_register(_ready_session_factory()))
    if args.json:
        _print_json({"inserted": inserted, "seeded_questions": len(SEED)})
    else:
        print(f"Added {inserted} of the {len(SEED)} seeded questions to the ethics register.")
    return 0


def cmd_ethics_list(args: argparse.Namespace) -> int:
    from jobmatch.ethics import list_entries

    entries = _db_call(lambda: list_entries(_ready_session_factory()))
    if args.json:
        _print_json([e.to_dict() for e in entries])
    else:
        for e in entries:
            print(f"{e.id:>4}  {e.status:<9} {e.raised_at.isoformat()}  {e.raised_by_role:<13} {e.question}")
    return 0


def cmd_ethics_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from jobmatch.ethics import export_markdown

    markdown = _db_call(lambda: export_markdown(_ready_session_factory()))
    if not args.out:
        sys.stdout.write(markdown)
        return 0
    try:
        Path(args.out).write_text(markdown, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    print(f"Wrote the ethics register to {args.out}")
    return 0


def _add_db_audit_ethics_commands(sub: Any, add: Callable[..., argparse.ArgumentParser]) -> None:
    """Register db, audit and ethics (database block)."""
    group = sub.add_parser("db", help="set up and inspect the database",
                           description="Set up and inspect the database (JOBMATCH_DATABASE_URL; SQLite by default).")
    group_sub = group.add_subparsers(dest="db_command", metavar="SUBCOMMAND")
    add(group_sub, "upgrade", cmd_db_upgrade,
        "create the database or migrate it to the newest schema (safe to run again)", json_flag=True)
    add(group_sub, "current", cmd_db_current,
        "show the database's schema revision and whether it is the newest", json_flag=True)

    group = sub.add_parser("audit", help="check, export and purge the audit trail",
                           description="Check, export and purge the hash-chained audit trail.")
    group_sub = group.add_subparsers(dest="audit_command", metavar="SUBCOMMAND")
    add(group_sub, "verify", cmd_audit_verify,
        "check that no audit record was changed, removed or reordered (exit 1 names the first bad record)",
        json_flag=True)
    p = add(group_sub, "purge", cmd_audit_purge,
            "delete audit records older than the retention period, keeping the chain verifiable", json_flag=True)
    p.add_argument("--days", type=int, default=None,
                   help="keep this many days (default: JOBMATCH_AUDIT_RETENTION_DAYS or 1825)")
    add(group_sub, "export", cmd_audit_export,
        "print every audit record (JSON lines; --json: one document with anchors and verification)",
        json_flag=True)

    group = sub.add_parser("ethics", help="the ethics register",
                           description="The ethics register: ethical questions, assessments and decisions.")
    group_sub = group.add_subparsers(dest="ethics_command", metavar="SUBCOMMAND")
    add(group_sub, "seed", cmd_ethics_seed,
        "add the project's seeded questions that are missing (safe to run again)", json_flag=True)
    add(group_sub, "list", cmd_ethics_list, "list the register's entries", json_flag=True)
    p = add(group_sub, "export", cmd_ethics_export, "write the register as Markdown")
    p.add_argument("--out", default=None, help="file to write (default: standard output)")


# --- end of database block ---------------------------------------------------


# ---------------------------------------------------------------------------
# operations (issue 8): municipalities, imports, doctor
# (one block: the functions below plus one call in build_parser)


def cmd_municipalities(args: argparse.Namespace) -> int:
    from jobmatch import municipalities

    try:
        table = municipalities.load_all()
        serving = municipalities.current()
        warnings = municipalities.warnings_for()
    except municipalities.MunicipalityConfigError as exc:
        raise UserError(str(exc)) from None
    if args.json:
        _print_json({"serving": serving.code, "files": municipalities.check()["files"], "warnings": warnings,
                     "municipalities": [m.to_dict() for m in table.values()]})
        return 0
    for m in table.values():
        mark = "*" if m.code == serving.code else " "
        r = m.retention
        print(f"{mark} {m.code:>3}  {m.name:<24} {'pilot' if m.pilot else '     '}  {m.default_mode:<6} "
              f"{m.max_minutes:>3} min  {'/'.join(m.languages):<5}  area {len(m.area_municipalities):>2} "
              f"municipalities  keep audit {r.audit_log_days} d, shortlists {r.shortlists_days} d, "
              f"feedback {r.feedback_days} d")
    print(f"* = served by this installation (JOBMATCH_MUNICIPALITY={serving.code})")
    for w in warnings:
        print(f"! {w}", file=sys.stderr)
    return 0


def _as_of_arg(value: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _print_import_report(report: Any, args: argparse.Namespace) -> int:
    out = report.to_dict()
    if getattr(args, "report", None):
        from pathlib import Path

        Path(args.report).write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    if args.json:
        _print_json(out)
        return report.exit_code
    verb = "would be accepted (dry run)" if report.dry_run else "accepted"
    print(f"{report.table}: {report.rows} rows read, {report.accepted} {verb}, {report.rejected} rejected, "
          f"{len(report.warnings)} warnings")
    for note in report.notes:
        print(f"  note: {note}")
    if report.rejected:
        print("rejected rows by reason:")
        for reason, count in report.reasons().items():
            print(f"  {count:>6}  {reason}")
    limit = 100
    for label, issues in (("rejected", report.errors), ("warning", report.warnings)):
        for issue in issues[:limit]:
            print(f"  {label} row {issue.row}, {issue.field}: {issue.message}")
        if len(issues) > limit:
            print(f"  ... and {len(issues) - limit} more {label} lines: use --json or --report FILE for all")
    if report.written_to:
        print(f"written to {report.written_to} ({report.table_rows_after} {report.table} in the world)")
    return report.exit_code


def cmd_import_postings(args: argparse.Namespace) -> int:
    from pathlib import Path

    from jobmatch.imports import ImportFileError, import_postings

    try:
        report = import_postings(Path(args.file), out=Path(args.out) if args.out else None, fmt=args.format,
                                 as_of=args.as_of, replace=args.replace, dry_run=args.dry_run,
                                 strict_occupation=args.strict_occupation)
    except ImportFileError as exc:
        raise UserError(str(exc)) from None
    return _print_import_report(report, args)


def cmd_import_interactions(args: argparse.Namespace) -> int:
    from pathlib import Path

    from jobmatch.imports import ImportFileError, import_interactions

    try:
        report = import_interactions(Path(args.file), out=Path(args.out) if args.out else None, fmt=args.format,
                                     as_of=args.as_of, dry_run=args.dry_run)
    except ImportFileError as exc:
        raise UserError(str(exc)) from None
    return _print_import_report(report, args)


def cmd_doctor(args: argparse.Namespace) -> int:
    from jobmatch import doctor

    results = doctor.run_checks()
    out = doctor.summary(results)
    if args.json:
        _print_json(out)
    else:
        width = max(len(r.name) for r in results)
        for r in results:
            print(f"{r.status.upper():<4}  {r.name.ljust(width)}  {r.message}")
        c = out["counts"]
        print(f"\n{c['ok']} ok, {c['warn']} warnings, {c['fail']} failures - "
              + ("healthy" if out["healthy"] else "fix the failures above"))
    return 0 if out["healthy"] else 1


def _add_operations_commands(sub: Any, add: Callable[..., argparse.ArgumentParser]) -> None:
    """Register municipalities, import postings|interactions and doctor (operations)."""
    add(sub, "municipalities", cmd_municipalities,
        "list the configured municipalities (bundled file + JOBMATCH_MUNICIPALITIES_FILE), naming every problem",
        json_flag=True)

    imp = sub.add_parser("import", help="import a municipality's real postings or interaction log",
                         description="Import a municipality's real postings or interaction log "
                                     "(format: docs/import-format.md). Every rejected row is reported with "
                                     "its reason. Exit status: 0 rows accepted, 1 all rejected, 2 bad file.")
    imp_sub = imp.add_subparsers(dest="import_command", metavar="SUBCOMMAND")
    for name, func, text in (
        ("postings", cmd_import_postings,
         "validate a postings file (CSV or JSON lines) and write the accepted rows into the data world"),
        ("interactions", cmd_import_interactions,
         "validate an interaction log (citizen_id, posting_id, event, timestamp) and add it to the data world"),
    ):
        p = add(imp_sub, name, func, text, json_flag=True)
        p.add_argument("file", help="the file to import (.csv or .jsonl)")
        p.add_argument("--out", default=None, help="the world folder to write (default: JOBMATCH_WORLD_DIR or data/world)")
        p.add_argument("--format", choices=("csv", "jsonl"), default=None, help="file format (default: from the name)")
        p.add_argument("--as-of", type=_as_of_arg, default=None,
                       help="the date the import is valid for, YYYY-MM-DD (default: today)")
        p.add_argument("--dry-run", action="store_true", help="check the file only; write nothing")
        p.add_argument("--report", default=None, help="also write the full report (every row) as JSON to this file")
        if name == "postings":
            p.add_argument("--replace", action="store_true",
                           help="replace earlier imported postings instead of merging by posting_id")
            p.add_argument("--strict-occupation", action="store_true",
                           help="reject postings whose occupation is not found in the taxonomy "
                                "(default: keep them with occupation unknown, as a warning)")

    add(sub, "doctor", cmd_doctor,
        "check this installation (packages, data, model, database, configuration, login, disk) and say what to fix",
        json_flag=True)


# --- end of operations block -------------------------------------------------


# ---------------------------------------------------------------------------
# alternative jobs (issue 5): alternatives, transitions
# (one block: the functions below plus one call in build_parser)


def cmd_alternatives(args: argparse.Namespace) -> int:
    from jobmatch.alternatives import alternatives_to_json, suggest_alternatives
    from jobmatch.retrieval import SearchSettingsError
    from jobmatch.world import WorldMissingError

    if args.top < 1 or args.top > 50:
        raise UserError("--top must be between 1 and 50")
    profile, settings = _read_cv_and_settings(args)
    try:
        alternatives = suggest_alternatives(profile, settings, top=args.top, lang=args.lang)
    except (SearchSettingsError, WorldMissingError) as exc:
        raise UserError(str(exc)) from None
    doc = alternatives_to_json(alternatives, lang=args.lang)
    if args.json:
        _print_json(doc)
        return 0
    if not alternatives:
        print("Ingen alternative job fundet." if args.lang == "da" else "No alternative jobs found.")
    for i, a in enumerate(alternatives, start=1):
        field = ("andet fag" if args.lang == "da" else "other field") if a.other_field else \
            ("samme fag" if args.lang == "da" else "same field")
        print(f"{i:>2}. {a.label} (ISCO {a.isco}, {a.industry_label}) — {a.similarity:.2f} {a.viability}, "
              f"{field}, {a.postings_in_range} job")
        print(f"      + {', '.join(t['label'] for t in a.transferable) or '-'}")
        print(f"      - {', '.join(g['label'] for g in a.gaps) or '-'}")
        for c in a.courses:
            print(f"      > {c['title']} ({c['typical_length']})")
    print(doc["courses_note"])
    return 0


def cmd_transitions(args: argparse.Namespace) -> int:
    from jobmatch.taxonomy import load_taxonomy
    from jobmatch.transitions import UnknownOccupationError, transition_graph

    if args.top < 1 or args.top > 500:
        raise UserError("--top must be between 1 and 500")
    tax = load_taxonomy()
    graph = transition_graph(tax)
    try:
        table = graph.neighbours(args.origin, top=args.top, min_similarity=args.min_similarity)
    except UnknownOccupationError as exc:
        raise UserError(str(exc)) from None
    titles = tax.occupations.set_index("occupation_id")[f"title_{args.lang}"]
    iscos = tax.occupations.set_index("occupation_id")["isco"]
    rows = [{"occupation_id": r.occupation_id, "label": str(titles[r.occupation_id]),
             "isco": str(iscos[r.occupation_id]), "similarity": round(float(r.similarity), 4),
             "reverse": round(float(r.reverse), 4), "viability": r.viability}
            for r in table.itertuples(index=False)]
    doc = {"from": args.origin, "label": str(titles[args.origin]),
           "thresholds": {"viable": graph.config.viable, "highly_viable": graph.config.highly_viable},
           "neighbours": rows}
    if args.json:
        _print_json(doc)
        return 0
    print(f"{doc['label']} ({args.origin}) →")
    for r in rows:
        print(f"  {r['similarity']:.2f} (←{r['reverse']:.2f})  {r['viability']:<13} {r['label']}"
              f"  [{r['occupation_id']}]")
    return 0


def _add_alternatives_commands(sub: Any, add: Callable[..., argparse.ArgumentParser]) -> None:
    """Register alternatives and transitions (alternative jobs)."""
    from jobmatch.geo import MODES

    p = add(sub, "alternatives", cmd_alternatives,
            "suggest alternative occupations (mostly in other fields) for a CV file, with transferable "
            "competences, gaps, open postings in range and example course types", json_flag=True)
    p.add_argument("file", help="the CV file (PDF, DOCX, ODT or TXT)")
    p.add_argument("--postcode", required=True, help="home postcode, e.g. 2400")
    p.add_argument("--mode", choices=MODES, default="public", help="transport mode (default: public)")
    p.add_argument("--max-minutes", type=float, default=45.0, help="maximum travel time in minutes (default: 45)")
    p.add_argument("--hours", choices=("full", "part"), default=None,
                   help="count only full- or part-time postings (default: either)")
    p.add_argument("--focus", action="append", metavar="OCCUPATION",
                   help="add an occupation id or ISCO prefix to the current focus (repeatable)")
    p.add_argument("--sector", action="append", metavar="INDUSTRY",
                   help="add an industry to the current focus (repeatable)")
    p.add_argument("--top", type=int, default=10, help="number of alternatives (default: 10)")
    p.add_argument("--lang", choices=("da", "en"), default="da", help="language of labels and messages (default: da)")
    p = add(sub, "transitions", cmd_transitions,
            "list the occupations nearest to one occupation in the transition graph (share of the destination's "
            "requirements the origin covers)", json_flag=True)
    p.add_argument("--from", dest="origin", required=True, metavar="OCCUPATION_ID", help="e.g. occ_kok")
    p.add_argument("--top", type=int, default=10, help="number of occupations (default: 10)")
    p.add_argument("--min-similarity", type=float, default=0.0, help="leave out weaker moves (default: 0)")
    p.add_argument("--lang", choices=("da", "en"), default="da", help="language of titles (default: da)")


# --- end of alternative jobs block -------------------------------------------


# ---------------------------------------------------------------------------
# explanations and what-if (issue 5): explain, whatif
# (one block: the functions below plus one call in build_parser)


def _read_cv_and_settings(args: argparse.Namespace) -> tuple[Any, Any]:
    """The parsed CV file and checked search settings of a rank/alternatives/explain/whatif command.

    A missing or unreadable file, bad settings or a refused CV become a one-line UserError.
    """
    from pathlib import Path

    from jobmatch.cv import CVReadError
    from jobmatch.cvparse import parse_file
    from jobmatch.retrieval import SearchSettings, SearchSettingsError

    if args.postcode is None:
        raise UserError("--postcode is required")
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"Filen findes ikke / the file does not exist: {path.name}") from None
    except OSError:
        raise UserError(f"Filen kan ikke åbnes / the file cannot be opened: {path.name}") from None
    try:
        settings = SearchSettings(home_postcode=args.postcode, mode=args.mode, max_minutes=args.max_minutes,
                                  hours=args.hours, focus_occupations=tuple(getattr(args, "focus", None) or ()),
                                  focus_sectors=tuple(getattr(args, "sector", None) or ())).checked()
    except SearchSettingsError as exc:
        raise UserError(str(exc)) from None
    try:
        profile = parse_file(data, path.name)
    except CVReadError as exc:
        raise UserError(exc.message(getattr(args, "lang", "da"))) from None
    return profile, settings


def cmd_explain(args: argparse.Namespace) -> int:
    from jobmatch.explain import ExplanationError, global_importance
    from jobmatch.ranking import RankingEngine

    if args.file == "global":
        try:
            engine = RankingEngine.load(progress=not args.json)
            result = global_importance(engine, top=args.top).to_dict()
        except ExplanationError as exc:
            raise UserError(str(exc)) from None
        except _ranking_user_errors() as exc:
            raise UserError(str(exc)) from None
        if args.json:
            _print_json(result)
            return 0
        label = "label_en" if args.lang == "en" else "label_da"
        print(f"Model {result['model_version']}: mean |SHAP| over {result['rows']} ranked postings of "
              f"{result['rankings']} demo rankings")
        for g in result["groups"]:
            print(f"  {g['mean_abs']:.4f}  {100 * g['share']:5.1f} %  {g[label]}")
        return 0
    if not args.posting:
        raise UserError("--posting is required (or use: explain global)")
    from jobmatch.reasons import UnknownPostingError, explain_posting

    profile, settings = _read_cv_and_settings(args)
    try:
        engine = RankingEngine.load(progress=not args.json)
        doc = explain_posting(engine, profile, settings, args.posting, lang=args.lang)
    except (UnknownPostingError, ExplanationError) as exc:
        raise UserError(str(exc)) from None
    except _ranking_user_errors() as exc:
        raise UserError(str(exc)) from None
    if args.json:
        _print_json(doc)
        return 0
    print(f"{doc['title']} — {doc['employer']} ({doc['posting_id']})")
    for note in doc["notices"]:
        print(f"! {note}")
    label = "label_en" if args.lang == "en" else "label_da"
    for g in doc["groups"]:
        print(f"  {g['contribution']:+.3f}  {g[label]}")
    for r in doc["reason_details"]:
        print(f"  {r['direction']} {r['text_en'] if args.lang == 'en' else r['text']}")
    return 0


def cmd_whatif(args: argparse.Namespace) -> int:
    from jobmatch.ranking import RankingEngine
    from jobmatch.whatif import Change, WhatIfError, suggest_whatifs, what_if

    if not 1 <= args.top <= 500:
        raise UserError("--top must be between 1 and 500")
    try:
        changes = [Change("add_competence", c) for c in args.add or ()]
        changes += [Change("remove_competence", c) for c in args.remove or ()]
        if args.set_mode:
            changes.append(Change("set_mode", args.set_mode))
        if args.set_max_minutes is not None:
            changes.append(Change("set_max_minutes", args.set_max_minutes))
        if args.set_hours:
            changes.append(Change("set_hours", args.set_hours))
    except WhatIfError as exc:
        raise UserError(str(exc)) from None
    profile, settings = _read_cv_and_settings(args)
    try:
        engine = RankingEngine.load(progress=not args.json)
        if changes:
            results = [what_if(profile, settings, changes, engine=engine, top=args.top)]
        else:
            results = suggest_whatifs(profile, settings, engine=engine, top=args.top, limit=args.limit)
    except WhatIfError as exc:
        raise UserError(str(exc)) from None
    except _ranking_user_errors() as exc:
        raise UserError(str(exc)) from None
    doc = {"suggested": not changes, "top": args.top, "whatifs": [r.to_dict(args.lang) for r in results]}
    if args.json:
        _print_json(doc)
        return 0
    if not results:
        print("Ingen forslag." if args.lang == "da" else "No suggestions.")
    for r in results:
        print(f"- {r.text_en if args.lang == 'en' else r.text}")
    return 0


def _add_explain_commands(sub: Any, add: Callable[..., argparse.ArgumentParser]) -> None:
    """Register explain and whatif (explanations and what-if)."""
    from jobmatch.geo import MODES

    def search_args(p: argparse.ArgumentParser, required: bool) -> None:
        p.add_argument("--postcode", required=required, default=None, help="home postcode, e.g. 2400")
        p.add_argument("--mode", choices=MODES, default="public", help="transport mode (default: public)")
        p.add_argument("--max-minutes", type=float, default=45.0, help="maximum travel time in minutes (default: 45)")
        p.add_argument("--hours", choices=("full", "part"), default=None, help="wanted working hours (default: either)")
        p.add_argument("--lang", choices=("da", "en"), default="da", help="language of texts (default: da)")

    p = add(sub, "explain", cmd_explain,
            "why one posting is ranked as it is for a CV (SHAP contributions per feature group and 2-4 grounded "
            "reasons); 'explain global' shows what drives the model over the demo personas' rankings",
            json_flag=True)
    p.add_argument("file", metavar="FILE|global",
                   help="the CV file (PDF, DOCX, ODT or TXT), or the word 'global' for the model-wide view")
    p.add_argument("--posting", default=None, metavar="POSTING_ID", help="the posting to explain")
    p.add_argument("--top", type=int, default=50, help="with 'global': ranked postings per persona (default: 50)")
    search_args(p, required=False)
    p = add(sub, "whatif", cmd_whatif,
            "what-if for actionable changes (a competence or certificate, travel limit, transport mode, hours), "
            "computed by ranking again; without changes, the most useful what-ifs are suggested", json_flag=True)
    p.add_argument("file", help="the CV file (PDF, DOCX, ODT or TXT)")
    search_args(p, required=True)
    p.add_argument("--add", action="append", metavar="COMPETENCE_ID",
                   help="add a competence, certificate or licence, e.g. sk_truckcertifikat (repeatable)")
    p.add_argument("--remove", action="append", metavar="COMPETENCE_ID", help="remove a competence (repeatable)")
    p.add_argument("--set-mode", choices=MODES, default=None, help="another transport mode")
    p.add_argument("--set-max-minutes", type=float, default=None, help="another maximum travel time")
    p.add_argument("--set-hours", choices=("full", "part", "any"), default=None, help="other working hours")
    p.add_argument("--top", type=int, default=50, help="size of the top list compared (default: 50)")
    p.add_argument("--limit", type=int, default=5, help="suggested what-ifs shown (default: 5)")


# --- end of explanations and what-if block -------------------------------------


# ---------------------------------------------------------------------------
# Responsible AI (issue 7): fairness report and transparency documents
# (one block: the functions below plus one call in build_parser)


def _rai_user_errors() -> tuple[type[BaseException], ...]:
    from jobmatch.ranker import TrainingDataError
    from jobmatch.registry import ModelCompatibilityError, ModelMissingError
    from jobmatch.world import WorldMissingError

    return (TrainingDataError, ModelCompatibilityError, ModelMissingError, WorldMissingError)


def cmd_fairness(args: argparse.Namespace) -> int:
    from pathlib import Path

    from jobmatch import fairness
    from jobmatch.ranker import Progress

    if args.sample is not None and args.sample < 10:
        raise UserError("--sample must be at least 10 citizens")
    if args.n_boot < 100:
        raise UserError("--n-boot must be at least 100")
    try:
        report = fairness.fairness_report(use_model=not args.rule, sample=args.sample, n_boot=args.n_boot,
                                          invariance_citizens=args.invariance_citizens,
                                          progress=Progress(enabled=not args.quiet))
    except _rai_user_errors() as exc:
        raise UserError(str(exc)) from None
    except ValueError as exc:  # bad thresholds in the environment
        raise UserError(str(exc)) from None
    saved = None
    if not args.no_save:
        saved = fairness.save_report(report, Path(args.out) if args.out else None)
        print(f"report saved: {saved}", file=sys.stderr)
    if args.json:
        sys.stdout.write(fairness.to_json(report))
        return 0
    print(f"model {report['model_version'] or 'rule ranking'} on data {report['data_version']} "
          f"({report['population']['ranked_citizens']:,} citizens ranked, {report['seconds']} s)")
    print(f"exposure_ratio_min {report['exposure_ratio_min']} (fit-weighted {report['fit_exposure_ratio_min']}); "
          f"bar {report['thresholds']['exposure_ratio_min_ok']}: {'ok' if report['checks']['exposure_ratio_ok'] else 'NOT MET'}")
    for attr, table in report["groups"].items():
        for group, entry in table.items():
            nd = (entry.get("ndcg@10") or {})
            ex = (entry.get("exposure") or {})
            print(f"  {attr:<9} {group:<12} n={entry['citizens']:>5}  NDCG@10 {nd.get('value')} {nd.get('ci95')}  "
                  f"exposure {ex.get('value')} {ex.get('ci95')}")
    for attr, entry in report["proxy_check"]["attributes"].items():
        print(f"  proxy {attr:<9} AUC {entry['auc']}{'  FLAGGED' if entry['flagged'] else ''}")
    inv = report["invariance"]
    print(f"invariance: largest top-10 change {inv['max_top10_change']} (max {inv['threshold']}): "
          f"{'ok' if inv['passed'] else 'NOT MET'}")
    return 0


def cmd_docs_build(args: argparse.Namespace) -> int:
    from pathlib import Path

    from jobmatch import fairness, registry, transparency
    from jobmatch.ranker import Progress

    out = Path(args.out) if args.out else transparency.docs_dir()
    report = None
    if args.fairness:
        try:
            report = fairness.load_report(Path(args.fairness))
        except ValueError as exc:
            raise UserError(str(exc)) from None
    elif not args.no_fairness:
        try:
            loaded = registry.load_model()
        except (registry.ModelMissingError, registry.ModelCompatibilityError):
            loaded = None
        if loaded is not None:
            found = fairness.find_report(loaded.version, folders=[fairness.reports_dir(), out])
            if found is not None:
                report = found[0]
                print(f"using the fairness report {found[1]}", file=sys.stderr)
            else:
                print("no fairness report for this model yet; computing one (a few minutes) ...", file=sys.stderr)
                try:
                    report = fairness.fairness_report(progress=Progress(enabled=not args.quiet))
                except _rai_user_errors() as exc:
                    raise UserError(str(exc)) from None
                fairness.save_report(report)
    try:
        written = transparency.build_documents(out, fairness=report)
    except OSError as exc:
        raise UserError(f"cannot write the documents to {out}: {exc.strerror or exc}") from None
    if args.json:
        _print_json({"folder": str(out), "files": sorted(written), "fairness_report": bool(report)})
        return 0
    for name in sorted(written):
        print(f"  {written[name]}")
    if report is None:
        print("note: no fairness report in the documents (run: python -m jobmatch fairness)", file=sys.stderr)
    return 0


def _add_rai_commands(sub: Any, add: Callable[..., argparse.ArgumentParser]) -> None:
    """Register fairness and docs build (responsible AI)."""
    p = add(sub, "fairness", cmd_fairness,
            "fairness report of the default model: NDCG@10, exposure and gender-atypical suggestions per group, "
            "proxy check, invariance tests", json_flag=True)
    p.add_argument("--rule", action="store_true", help="report on the transparent rule ranking instead of the model")
    p.add_argument("--sample", type=int, default=None, metavar="N",
                   help="rank only N citizens (seeded sample) for exposure (default: all)")
    p.add_argument("--n-boot", type=int, default=1000, help="bootstrap resamples (default: 1000)")
    p.add_argument("--invariance-citizens", type=int, default=20, metavar="N",
                   help="demo citizens in the invariance checks besides the personas (default: 20)")
    p.add_argument("--out", default=None, help="where to save the report (default: data/reports/)")
    p.add_argument("--no-save", action="store_true", help="do not save the report")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    docs = sub.add_parser("docs", help="transparency documents", description="Generate the transparency documents.")
    docs_sub = docs.add_subparsers(dest="docs_command", metavar="SUBCOMMAND")
    p = add(docs_sub, "build", cmd_docs_build,
            "write the model card, fairness report, datasheet, instructions for use, citizen information "
            "(Markdown and PDF) and the ATRS and Eurocities register exports", json_flag=True)
    p.add_argument("--out", default=None, help="output folder (default: docs/generated)")
    p.add_argument("--fairness", default=None, metavar="FILE", help="use this saved fairness report")
    p.add_argument("--no-fairness", action="store_true",
                   help="do not compute a fairness report when none is saved for the model")
    p.add_argument("--quiet", action="store_true", help="no progress output")


# --- end of responsible AI block ---------------------------------------------

# ---------------------------------------------------------------------------
# Scale and model lifecycle (issue 9): batch, retrain, model rollback/versions, monitor
# (one block: the functions below plus one call in build_parser)


def _lifecycle_user_errors() -> tuple[type[BaseException], ...]:
    from jobmatch.batch import BatchError
    from jobmatch.lifecycle import LifecycleError
    from jobmatch.monitor import MonitorError

    return (*_ranking_user_errors(), BatchError, LifecycleError, MonitorError)


def cmd_batch(args: argparse.Namespace) -> int:
    from pathlib import Path

    from jobmatch.batch import run_batch
    from jobmatch.ranker import Progress

    if args.limit is not None and args.limit < 1:
        raise UserError("--limit must be at least 1")
    try:
        _rows, report = run_batch(args.municipality, top=args.top, workers=None if args.scheduler else args.workers,
                                  scheduler=args.scheduler, out=Path(args.out), chunk_size=args.chunk_size,
                                  use_model=not args.rule, as_of=args.as_of, limit=args.limit,
                                  progress=Progress(enabled=not args.quiet))
    except _lifecycle_user_errors() as exc:
        raise UserError(str(exc)) from None
    if args.json:
        _print_json(report)
        return 0
    print(f"{report['citizens']:,} citizens ranked on {report['workers']} worker(s) in {report['seconds']} s "
          f"({report['citizens_per_second']} citizens/s); {report['rows']:,} rows written to {report['out']}")
    if report["without_results"] or report["skipped"]:
        print(f"{report['without_results']} citizens had no postings in range; {report['skipped']} skipped "
              "(unknown postcode or transport mode)")
    return 0


def cmd_retrain(args: argparse.Namespace) -> int:
    from pathlib import Path

    from jobmatch import lifecycle
    from jobmatch.ranker import Progress, read_interactions

    try:
        interactions = read_interactions(Path(args.interactions)) if args.interactions else None
        result = lifecycle.retrain(interactions=interactions,
                                   interactions_source=Path(args.interactions).name if args.interactions else "world",
                                   use_feedback=not args.no_feedback, progress=Progress(enabled=not args.quiet))
    except _lifecycle_user_errors() as exc:
        raise UserError(str(exc)) from None
    except ValueError as exc:  # a bad gate threshold or training config in the environment
        raise UserError(str(exc)) from None
    doc = result.to_dict()
    if not doc["audit"].get("recorded"):
        print(f"note: not in the audit log ({doc['audit'].get('reason')}); recorded in models/promotions.jsonl",
              file=sys.stderr)
    if args.json:
        _print_json(doc)
    else:
        verdict = "PROMOTED" if result.promoted else (
            "passed, but identical to the current model — nothing to promote" if result.decision.passed
            else "REFUSED — the current model stays")
        print(f"candidate {result.candidate_version}: {verdict}")
        for check in result.decision.checks:
            print(f"  [{'ok' if check.passed else 'FAIL'}] {check.name}: {check.message}")
        print(f"default model: {result.default_version}")
    return 0 if result.decision.passed else 1


def cmd_model_versions(args: argparse.Namespace) -> int:
    from jobmatch import lifecycle

    info = lifecycle.list_versions()
    info["history"] = lifecycle.read_promotions()[-20:]
    if args.json:
        _print_json(info)
        return 0
    print(f"current: {info['current'] or '-'}  ({info['folder']})")
    for v in info["versions"]:
        print(f"  {v['version']}  {v.get('created_at')}  NDCG@10 {v.get('ndcg@10')}"
              f"{'' if v['compatible'] else '  (incompatible with this code)'}")
    if not info["versions"]:
        print("  no archived versions")
    return 0


def cmd_model_rollback(args: argparse.Namespace) -> int:
    from jobmatch import lifecycle

    try:
        result = lifecycle.rollback(args.to, reason=args.reason)
    except _lifecycle_user_errors() as exc:
        raise UserError(str(exc)) from None
    if not result["audit"].get("recorded"):
        print(f"note: not in the audit log ({result['audit'].get('reason')}); recorded in models/promotions.jsonl",
              file=sys.stderr)
    if args.json:
        _print_json(result)
    else:
        print(f"default model is now {result['to_version']} (was {result['from_version']})")
    return 0


def cmd_monitor(args: argparse.Namespace) -> int:
    from jobmatch import monitor
    from jobmatch.ranker import Progress

    try:
        reference = monitor.parse_period(args.reference) if args.reference else None
        current = monitor.parse_period(args.current) if args.current else None
        report = monitor.monitor_report(reference=reference, current=current, use_model=not args.rule,
                                        progress=Progress(enabled=not args.quiet and not args.json))
    except _lifecycle_user_errors() as exc:
        raise UserError(str(exc)) from None
    except ValueError as exc:  # bad thresholds in the environment
        raise UserError(str(exc)) from None
    if args.json:
        _print_json(report)
    else:
        ref, cur = report["reference"], report["current"]
        print(f"reference {ref['start']}..{ref['end']} vs current {cur['start']}..{cur['end']}: {report['status']}")
        for d in report["drift"]:
            print(f"  PSI {d['psi']:>7}  {d['level']:<7} {d['metric']}")
        for b in report["breaches"]:
            print(f"  {b['level'].upper()}: {b['message_da']}")
    return 1 if report["status"] == "alert" else 0


def _add_lifecycle_commands(sub: Any, add: Callable[..., argparse.ArgumentParser]) -> None:
    """Register batch, retrain, monitor, and model versions/rollback (scale and model lifecycle)."""
    p = add(sub, "batch", cmd_batch,
            "rank every citizen of the chosen municipalities on a Dask cluster and write the top K per citizen",
            json_flag=True)
    p.add_argument("--municipality", type=int, action="append", required=True, metavar="CODE",
                   help="home municipality code of the citizens to rank, e.g. 101 (repeatable)")
    p.add_argument("--top", type=int, default=10, help="postings per citizen (default: 10)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=2,
                       help="start a local Dask cluster with N worker processes, one thread each (default: 2)")
    where.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="use an existing Dask cluster, e.g. tcp://10.0.0.5:8786 (workers must see the same files)")
    p.add_argument("--out", required=True, metavar="FILE.parquet", help="where to write the results (Parquet)")
    p.add_argument("--chunk-size", type=int, default=25, help="citizens per task (default: 25)")
    p.add_argument("--as-of", default=None, metavar="DATE", help="rank as of this day (default: the reference date)")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N citizens (trial runs)")
    p.add_argument("--rule", action="store_true", help="rank by the transparent rule instead of the model")
    p.add_argument("--quiet", action="store_true", help="no progress output")

    p = add(sub, "retrain", cmd_retrain,
            "train a candidate model on interactions plus consultant feedback and promote it only if it passes "
            "the release gate (exit status 1 when refused)", json_flag=True)
    p.add_argument("--interactions", default=None,
                   help="CSV or Parquet log with citizen_id, posting_id, event, timestamp (default: the world's)")
    p.add_argument("--no-feedback", action="store_true", help="ignore consultant feedback in the database")
    p.add_argument("--quiet", action="store_true", help="no progress output")

    p = add(sub, "monitor", cmd_monitor,
            "drift (PSI) of inputs and scores, NDCG@10 per group per month and override rates between two periods "
            "(exit status 1 on an alert)", json_flag=True)
    p.add_argument("--reference", default=None, metavar="START:END",
                   help="reference period, ISO dates, end excluded (default: the 3 months before the current one)")
    p.add_argument("--current", default=None, metavar="START:END",
                   help="current period (default: the last month of the interactions log)")
    p.add_argument("--rule", action="store_true", help="monitor the transparent rule's scores instead of the model's")
    p.add_argument("--quiet", action="store_true", help="no progress output")

    # model versions / rollback join the ranking block's `model` group
    model_parser = sub.choices["model"]
    model_sub = next(a for a in model_parser._actions if isinstance(a, argparse._SubParsersAction))
    add(model_sub, "versions", cmd_model_versions, "the current and the archived model versions, and the "
                                                   "promotion history", json_flag=True)
    p = add(model_sub, "rollback", cmd_model_rollback,
            "make an archived model version the default again (default: the one before the current)", json_flag=True)
    p.add_argument("--to", default=None, metavar="VERSION", help="the version to restore (see: model versions)")
    p.add_argument("--reason", default=None, help="why (kept in the promotion history and the audit log)")


# --- end of scale and model lifecycle block -----------------------------------


# ---------------------------------------------------------------------------
# parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m jobmatch",
        description="jobmatch: match a citizen's CV with current job postings (decision support for job centres).",
    )
    parser.add_argument("--version", action="version", version=f"jobmatch {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(parent: Any, name: str, func: Callable[[argparse.Namespace], int], help_text: str,
            json_flag: bool = False) -> argparse.ArgumentParser:
        p = parent.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        if json_flag:
            p.add_argument("--json", action="store_true", help="print one JSON document on stdout")
        return p

    # data
    data = sub.add_parser("data", help="build and inspect the demo world", description="Build and inspect the demo world.")
    data_sub = data.add_subparsers(dest="data_command", metavar="SUBCOMMAND")
    p = add(data_sub, "build", cmd_data_build, "build the demo world (reuses an existing one unless --rebuild)", json_flag=True)
    p.add_argument("--seed", type=int, default=None, help="random seed (default: JOBMATCH_SEED or 2026)")
    p.add_argument("--rebuild", action="store_true", help="build again even if a world with this seed exists")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    add(data_sub, "stats", cmd_data_stats, "counts of the built demo world", json_flag=True)

    add(sub, "personas", cmd_personas, "list the demo CV files", json_flag=True)

    # taxonomy
    tax = sub.add_parser("taxonomy", help="inspect or import the taxonomy", description="Inspect or import the taxonomy.")
    tax_sub = tax.add_subparsers(dest="taxonomy_command", metavar="SUBCOMMAND")
    add(tax_sub, "stats", cmd_taxonomy_stats, "counts and integrity problems of the configured taxonomy", json_flag=True)
    p = add(tax_sub, "import-esco", cmd_taxonomy_import_esco,
            "convert an official ESCO CSV download into jobmatch's taxonomy format", json_flag=True)
    p.add_argument("folder", help="folder with occupations_<lang>.csv, skills_<lang>.csv, ...")
    p.add_argument("--out", required=True, help="folder to write the converted taxonomy to")
    p.add_argument("--lang", default="da", help="language of the download (default: da)")
    p.add_argument("--english", default=None, help="folder with the English download, for English labels")

    _add_cv_commands(sub, add)  # parse, extract, classify, quality (CV understanding block)
    _add_ranking_commands(sub, add)  # train, evaluate, rank, bench, model (ranking block)
    _add_operations_commands(sub, add)  # municipalities, import, doctor (operations block)
    _add_db_audit_ethics_commands(sub, add)  # db, audit, ethics (database block)
    _add_alternatives_commands(sub, add)  # alternatives, transitions (alternative jobs block)
    _add_explain_commands(sub, add)  # explain, whatif (explanations and what-if block)
    _add_rai_commands(sub, add)  # fairness, docs build (responsible AI block)
    _add_lifecycle_commands(sub, add)  # batch, retrain, monitor, model versions/rollback (lifecycle block)

    return parser


def iter_commands(parser: argparse.ArgumentParser | None = None, prefix: tuple[str, ...] = ()):
    """Yield (command words, parser) for every command and subcommand (used by the help test)."""
    parser = parser or build_parser()
    for action in parser._actions:  # argparse has no public API for this
        if isinstance(action, argparse._SubParsersAction):
            for name, subparser in action.choices.items():
                words = (*prefix, name)
                yield words, subparser
                yield from iter_commands(subparser, words)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        # a group without a subcommand: show its help
        words = [w for w in (argv if argv is not None else sys.argv[1:]) if not w.startswith("-")]
        target = parser
        for words_, sp in iter_commands(parser):
            if list(words_) == words:
                target = sp
        target.print_help()
        return 0 if not words else 2
    try:
        return int(func(args) or 0)
    except UserError as exc:
        print(f"jobmatch: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("jobmatch: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader (e.g. `| head`) went away: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
