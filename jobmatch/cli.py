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
