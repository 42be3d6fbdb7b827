"""The feedback form's questions: a versioned YAML file beside this module, validated against `schema.json`.

Read through the bounded YAML reader (`analysis.reading_yaml`), and every problem is named by line and field
the way assessment instruments' are (`analysis.instruments` describes schema errors for both).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from joinedup.analysis.instruments import _describe as describe_schema_error
from joinedup.analysis.reading import FileReadError
from joinedup.analysis.reading_yaml import load_yaml, schema_validator

FILES = Path(__file__).resolve().parent / "instrument_files"
SHIPPED = "service-user-experience"


class FeedbackInstrumentError(ValueError):
    def __init__(self, source: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{source} is not a valid feedback form:\n" + "\n".join(f"  {p}" for p in problems))


@dataclass(frozen=True)
class Choice:
    key: str
    label: str
    positive: bool = (
        False  # "very good"/"good" on the overall question; "agree"/"strongly agree" on a statement
    )


@dataclass(frozen=True)
class Statement:
    key: str
    short: str
    text: str


@dataclass(frozen=True)
class FeedbackInstrument:
    key: str
    version: int
    title: str
    overall_text: str
    overall: tuple[Choice, ...]
    comments_text: str
    comments_hint: str
    statements_intro: str
    scale: tuple[Choice, ...]
    statements: tuple[Statement, ...]

    def overall_question(self, service: str) -> str:
        return self.overall_text.replace("{service}", service)

    @property
    def overall_keys(self) -> set[str]:
        return {c.key for c in self.overall}

    @property
    def positive_overall(self) -> set[str]:
        return {c.key for c in self.overall if c.positive}

    @property
    def scale_keys(self) -> set[str]:
        return {c.key for c in self.scale}

    @property
    def agree_keys(self) -> set[str]:
        return {c.key for c in self.scale if c.positive}


def _choices(rows: list[dict[str, Any]], flag: str) -> tuple[Choice, ...]:
    return tuple(Choice(r["key"], r["label"], bool(r.get(flag, False))) for r in rows)


def parse(text: bytes | str, *, source: str = "the file") -> FeedbackInstrument:
    """A feedback instrument from YAML; raises FeedbackInstrumentError listing every problem by line."""
    try:
        node, data = load_yaml(text)
    except FileReadError as exc:
        raise FeedbackInstrumentError(source, [str(exc)]) from None
    if node is None or not isinstance(data, dict):
        raise FeedbackInstrumentError(source, ["the file is empty or is not a map of fields"])
    errors = sorted(schema_validator(FILES / "schema.json").iter_errors(data), key=lambda e: str(e.path))
    if errors:
        raise FeedbackInstrumentError(source, [describe_schema_error(node, e) for e in errors])
    keys = [s["key"] for s in data["statements"]]
    doubled = sorted({k for k in keys if keys.count(k) > 1})
    if doubled:
        raise FeedbackInstrumentError(source, [f"statements: the key {k!r} is used twice" for k in doubled])
    return FeedbackInstrument(
        key=data["key"],
        version=data["version"],
        title=data["title"],
        overall_text=data["overall"]["text"],
        overall=_choices(data["overall"]["choices"], "good"),
        comments_text=data["comments"]["text"],
        comments_hint=data["comments"].get("hint", ""),
        statements_intro=data["statements_intro"],
        scale=_choices(data["scale"], "agree"),
        statements=tuple(Statement(s["key"], s["short"], s["text"]) for s in data["statements"]),
    )


@cache
def shipped(key: str = SHIPPED) -> FeedbackInstrument:
    path = FILES / f"{key}.yaml"
    return parse(path.read_bytes(), source=path.name)
