"""The command line: every command has help text; data commands take --json."""

from __future__ import annotations

import subprocess
import sys

import pytest

from jobmatch.cli import build_parser, iter_commands, main

COMMANDS = [" ".join(words) for words, _ in iter_commands(build_parser())]


def test_there_are_commands():
    assert {"data build", "data stats", "personas", "taxonomy stats"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([*command.split(), "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage:")
    # a description beyond the usage line
    assert len([line for line in out.splitlines() if line.strip()]) >= 3


@pytest.mark.parametrize("command", ["data stats", "personas", "taxonomy stats"])
def test_data_commands_take_json(command):
    parser = build_parser()
    sub = dict(iter_commands(parser))[tuple(command.split())]
    assert any("--json" in action.option_strings for action in sub._actions)


def test_group_without_subcommand_prints_help(capsys):
    assert main(["data"]) == 2
    assert "build" in capsys.readouterr().out


def test_module_entry_point_runs():
    result = subprocess.run([sys.executable, "-m", "jobmatch", "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("jobmatch ")
