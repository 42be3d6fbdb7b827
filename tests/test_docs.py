"""Docs that cannot drift: every project command and each of its options is in docs/cli.md."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

REPO = Path(__file__).resolve().parent.parent
CLI_DOC = REPO / "docs" / "cli.md"


def project_commands() -> dict[str, str]:
    return {name: app for name, app in get_commands().items() if app.startswith("joinedup.")}


def _options(parser: argparse.ArgumentParser) -> set[str]:
    found: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                found.add(sub_name)
                found |= _options(sub)
            continue
        found |= {o for o in action.option_strings if o.startswith("--")}
    return found


# Options every Django command has; documented once in the page's introduction.
COMMON = {
    "--help",
    "--version",
    "--verbosity",
    "--settings",
    "--pythonpath",
    "--traceback",
    "--no-color",
    "--force-color",
    "--skip-checks",
}


def _section(doc: str, name: str) -> str:
    match = re.search(rf"^## `joinedup {re.escape(name)}[^`]*`\n(.*?)(?=^## |\Z)", doc, re.M | re.S)
    assert match, f"docs/cli.md has no section '## `joinedup {name} ...`'"
    return match.group(0)


def test_there_are_project_commands():
    assert "demo" in project_commands()


@pytest.mark.parametrize("name", sorted(project_commands()))
def test_every_project_command_and_option_is_documented(name):
    doc = CLI_DOC.read_text()
    section = _section(doc, name)
    command = load_command_class(project_commands()[name], name)
    parser = command.create_parser("joinedup", name)
    missing = sorted(
        o for o in _options(parser) - COMMON if o not in section and o not in doc.split("\n## ")[0]
    )
    assert not missing, f"docs/cli.md, section for `joinedup {name}`, does not mention {missing}"


def test_readme_starts_with_the_two_commands():
    readme = (REPO / "README.md").read_text()
    first_block = readme.split("```")[1]
    assert "make demo" in first_block and "make test" in first_block
