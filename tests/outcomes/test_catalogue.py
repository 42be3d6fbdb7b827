"""The shipped catalogue is valid against its schema and holds the metrics the issue names; a bad catalogue is
refused with every problem naming the entry and the field."""

from __future__ import annotations

import json

import pytest
import yaml
from jsonschema import Draft202012Validator

from joinedup.outcomes.catalogue import (
    CATALOGUE_PATH,
    SCHEMA_PATH,
    CatalogueError,
    parse_catalogue,
    shipped_catalogue,
)


def test_the_shipped_catalogue_validates_and_holds_the_better_care_fund_metrics():
    schema = json.loads(SCHEMA_PATH.read_text())
    Draft202012Validator(schema).validate(
        yaml.safe_load(CATALOGUE_PATH.read_text())
    )  # independently of the loader
    catalogue = shipped_catalogue()
    assert catalogue.version >= 1
    keys = {e.key for e in catalogue.entries}
    assert {
        "avoidable-emergency-admissions",
        "falls-admissions-65",
        "discharge-usual-residence",
        "care-home-admissions-65",
        "reablement-at-home-91-days",
        "referral-to-first-contact",
        "shared-care-plan",
        "partner-attendance",
        "actions-on-time",
        "service-user-experience",
    } <= keys
    ascof = catalogue.entry("care-home-admissions-65")
    assert ascof is not None and ascof.reference == "ASCOF 2A(2)" and ascof.direction == "decrease"
    assert "65 and over" in ascof.numerator and "ONS" in ascof.denominator
    assert "per 100,000" in ascof.unit
    assert "age-standardised" in catalogue.entry("falls-admissions-65").definition


def bad(text: str) -> list[str]:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(text)
    return caught.value.problems


GOOD_ENTRY = """
  - key: one
    title: One
    kind: process
    rba_question: how_much
    definition: Counted.
    unit: people
    direction: increase
    frequency: monthly
"""


def test_a_bad_entry_is_named_with_its_field():
    text = (
        "version: 1\ntitle: T\nindicators:"
        + GOOD_ENTRY
        + GOOD_ENTRY.replace("one", "two")
        .replace("direction: increase", "direction: up")
        .replace("    unit: people\n", "")
    )
    assert bad(text) == [
        "entry 2 (two): the field unit is missing",
        "entry 2 (two), field direction: 'up' is not one of increase, decrease, neutral",
    ]


def test_unknown_fields_repeated_keys_and_a_missing_version_are_refused():
    assert bad("title: T\nindicators:" + GOOD_ENTRY) == ["(top level): the field version is missing"]
    extra = GOOD_ENTRY.replace("    unit: people\n", "    unit: people\n    colour: red\n")
    assert bad("version: 1\ntitle: T\nindicators:" + extra)[0].startswith("entry 1 (one): unknown field")
    assert bad("version: 1\ntitle: T\nindicators:" + GOOD_ENTRY + GOOD_ENTRY) == [
        "entry 2 (one), field key: the key is used by entry 1 too"
    ]


def test_the_bounded_reader_refuses_aliases():
    problems = bad("version: &v 1\ntitle: *v\nindicators: []\n")
    assert "anchors and aliases" in problems[0]
