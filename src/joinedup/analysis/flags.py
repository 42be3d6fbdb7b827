"""Warning flags from the literature: pure rules over a `PartnershipSnapshot`, each a prompt with its evidence.

    settings = load_settings()                       # flag_files/flags.yaml, checked against schema.json
    flags = evaluate(snapshot, settings)             # [Flag(code, title, severity, evidence, source, action, url)]

Each rule is registered under its code with `@rule(code)` (later data adds rules without touching `evaluate`),
reads only the snapshot and the settings' thresholds, and returns a `Flag` or None. The texts (title, source,
action, severity) and thresholds are versioned data; a partnership may tune thresholds (`load_settings`'s
`overrides`, checked against the same schema). Flags are prompts to look, never a score: `evaluate` ranks
them by severity and never adds them up.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from joinedup.analysis.flag_snapshot import PartnershipSnapshot
from joinedup.analysis.reading import FileReadError
from joinedup.analysis.reading_yaml import load_yaml, schema_validator

FLAG_DIR = Path(__file__).with_name("flag_files")
SETTINGS_PATH = FLAG_DIR / "flags.yaml"
SCHEMA_PATH = FLAG_DIR / "schema.json"
SEVERITY_RANK = {"critical": 0, "warning": 1, "info": 2}


class FlagSettingsError(ValueError):
    """Thresholds or texts that do not fit the schema; `problems` names each by its path."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class RuleText:
    severity: str
    title: str
    source: str
    action: str


@dataclass(frozen=True)
class FlagSettings:
    version: int
    thresholds: Mapping[str, float]
    texts: Mapping[str, RuleText]

    def __getitem__(self, name: str) -> float:
        return self.thresholds[name]


@dataclass(frozen=True)
class Flag:
    code: str
    title: str
    severity: str
    evidence: dict[str, Any]
    source: str
    action: str
    url: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "title": self.title,
            "evidence": self.evidence,
            "source": self.source,
            "action": self.action,
            "url": self.url,
        }


# ---- settings --------------------------------------------------------------------------------------------


def _problems(data: Any) -> list[str]:
    found = []
    for error in sorted(
        schema_validator(SCHEMA_PATH).iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]
    ):
        where = ".".join(str(p) for p in error.absolute_path) or "the file"
        found.append(f"{where}: {error.message}")
    return found


def parse_settings(text: str | bytes, *, overrides: Mapping[str, float] | None = None) -> FlagSettings:
    """Settings from YAML text (read by the bounded loader), with a partnership's `overrides` of thresholds."""
    try:
        _node, data = load_yaml(text)
    except FileReadError as exc:
        raise FlagSettingsError([str(exc)]) from exc
    problems = _problems(data)
    if not problems and overrides:
        unknown = sorted(set(overrides) - set(data["thresholds"]))
        problems = [f"thresholds.{name}: there is no such threshold" for name in unknown]
        if not problems:
            data = {**data, "thresholds": {**data["thresholds"], **overrides}}
            problems = _problems(data)
    if not problems:
        problems = [
            f"rules.{code}.title: {{{name}}} is not a value the rule gives"
            for code, text in sorted(data["rules"].items())
            for name in _placeholders(text["title"])
            if code in RULES and name not in RULES[code].gives
        ]
    if problems:
        raise FlagSettingsError(problems)
    texts = {code: RuleText(**text) for code, text in data["rules"].items()}
    return FlagSettings(version=data["version"], thresholds=dict(data["thresholds"]), texts=texts)


def load_settings(*, overrides: Mapping[str, float] | None = None) -> FlagSettings:
    """The shipped thresholds and texts, with a partnership's overrides."""
    return parse_settings(SETTINGS_PATH.read_bytes(), overrides=overrides)


def _placeholders(title: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(title) if name}


# ---- the rules -------------------------------------------------------------------------------------------

Check = Callable[[PartnershipSnapshot, FlagSettings], "Found | None"]


@dataclass(frozen=True)
class Found:
    """What a rule found: the values its title names, the evidence, and the page to look at."""

    values: dict[str, Any]
    evidence: dict[str, Any]
    url: str


@dataclass(frozen=True)
class Rule:
    code: str
    check: Check
    gives: frozenset[str]


RULES: dict[str, Rule] = {}


def rule(code: str, *, gives: tuple[str, ...] = ("count",)) -> Callable[[Check], Check]:
    """Register `check` as the rule for `code`; `gives` names the values it supplies to its title."""

    def register(check: Check) -> Check:
        if code in RULES:
            raise ValueError(f"two rules registered as {code!r}")
        RULES[code] = Rule(code=code, check=check, gives=frozenset(gives))
        return check

    return register


def evaluate(snapshot: PartnershipSnapshot, settings: FlagSettings | None = None) -> list[Flag]:
    """Every rule's flag for the snapshot, most severe first (then by code). Rules without texts are skipped."""
    settings = settings or load_settings()
    flags = []
    for code, entry in RULES.items():
        text = settings.texts.get(code)
        if text is None:
            continue
        found = entry.check(snapshot, settings)
        if found is None:
            continue
        flags.append(
            Flag(
                code=code,
                title=text.title.format(**found.values),
                severity=text.severity,
                evidence=found.evidence,
                source=text.source,
                action=text.action,
                url=found.url,
            )
        )
    return sorted(flags, key=lambda f: (SEVERITY_RANK[f.severity], f.code))


# The shipped rules (flag_rules.py) register themselves when imported, after the engine above exists.
from joinedup.analysis import flag_rules as _shipped_rules  # noqa: E402, F401
