"""Instrument files: the shipped ones, the issue's example shape, and errors that name line and field."""

from __future__ import annotations

import textwrap

import pytest

from joinedup.analysis.instruments import (
    InstrumentError,
    load_instrument,
    parse_instrument,
    shipped_instruments,
)

EXAMPLE = """\
key: partnership-health
title: Partnership health check
version: 1
audience: partner staff
scale: {min: 1, max: 5, labels: [Strongly disagree, Disagree, Neither, Agree, Strongly agree], dont_know: true}
bands: [{min: 4.0, label: strength}, {min: 3.0, label: borderline}, {min: 1.0, label: concern}]
dimensions:
  - key: trust
    title: Develop and maintain trust
    source: Hardy, Hudson & Waddington (2003), principle 4
    items:
      - {key: trust_1, text: "We keep our promises.", reverse: false}
      - {key: trust_2, text: "Partners hide things.", reverse: true}
"""


def problems(text: str) -> list[str]:
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(textwrap.dedent(text), source="test.yaml")
    return caught.value.problems


def test_the_shape_in_the_issue_is_accepted() -> None:
    instrument = parse_instrument(EXAMPLE)
    assert instrument.key == "partnership-health"
    assert instrument.scale.points == 5
    assert instrument.scale.dont_know is True
    assert [b.label for b in instrument.bands] == ["strength", "borderline", "concern"]
    trust = instrument.dimension("trust")
    assert trust.source.startswith("Hardy")
    assert [(i.key, i.reverse) for i in trust.items] == [("trust_1", False), ("trust_2", True)]
    assert instrument.band_for(4.0) == "strength"
    assert instrument.band_for(3.99) == "borderline"
    assert instrument.band_for(1.0) == "concern"
    assert instrument.band_for(None) is None


def test_three_instruments_are_shipped_and_valid() -> None:
    assert set(shipped_instruments()) == {"partnership-health", "readiness", "inter-professional"}
    for key in shipped_instruments():
        instrument = load_instrument(key)
        assert instrument.key == key
        texts = [item.text for d in instrument.dimensions for item in d.items]
        assert len(texts) == len(set(texts)), "every item is worded differently"
        assert any(item.reverse for d in instrument.dimensions for item in d.items)


def test_partnership_health_has_the_six_principles_plus_power_and_communication() -> None:
    instrument = load_instrument("partnership-health")
    titles = [d.title for d in instrument.dimensions]
    assert titles == [
        "Recognise and accept the need for partnership",
        "Develop clarity and realism of purpose",
        "Ensure commitment and ownership",
        "Develop and maintain trust",
        "Create clear and robust partnership arrangements",
        "Monitor, measure and learn",
        "Equality and power",
        "Communication",
    ]
    for dimension in instrument.dimensions:
        assert 4 <= len(dimension.items) <= 6
        assert any(item.reverse for item in dimension.items), dimension.key


def test_inter_professional_covers_the_practitioner_themes() -> None:
    titles = {d.title for d in load_instrument("inter-professional").dimensions}
    assert titles == {
        "Role clarity",
        "Communication",
        "Respect for each other's values and ways of working",
        "Information sharing",
        "Power in decisions",
        "Service-user empowerment",
    }


def test_an_uploaded_file_loads_by_path(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "mine.yaml"
    path.write_text(EXAMPLE.replace("key: partnership-health", "key: mine"))
    assert load_instrument(str(path)).key == "mine"


def test_an_unknown_key_lists_the_shipped_ones() -> None:
    with pytest.raises(InstrumentError, match="partnership-health"):
        load_instrument("no-such-thing")


def test_a_wrong_type_names_its_line_and_field() -> None:
    text = EXAMPLE.replace("reverse: true}", 'reverse: "yes"}')
    assert problems(text) == ["line 13, dimensions[0].items[1].reverse: 'yes' is not of type 'boolean'"]


def test_an_unknown_field_is_named_on_its_own_line() -> None:
    text = EXAMPLE.replace("    source: Hardy", "    sauce: Hardy")
    (problem,) = problems(text)
    assert problem.startswith("line 10, dimensions[0].sauce: unknown field 'sauce'")


def test_a_missing_field_names_the_mapping_it_belongs_to() -> None:
    text = EXAMPLE.replace("    title: Develop and maintain trust\n", "")
    assert problems(text) == ["line 8, dimensions[0]: 'title' is missing"]


def test_label_count_must_match_the_scale() -> None:
    text = EXAMPLE.replace("Neither, ", "")
    assert problems(text) == ["line 5, scale.labels: a 1-5 scale has 5 points but 4 labels are given"]


def test_item_keys_must_be_unique() -> None:
    text = EXAMPLE.replace("key: trust_2", "key: trust_1")
    assert problems(text) == [
        "line 13, dimensions[0].items[1].key: item key 'trust_1' is already used in dimension 'trust'"
    ]


def test_bands_must_descend_and_cover_the_scale() -> None:
    ascending = EXAMPLE.replace(
        "{min: 4.0, label: strength}, {min: 3.0", "{min: 3.0, label: strength}, {min: 4.0"
    )
    assert problems(ascending) == [
        "line 6, bands[1].min: bands must run from highest to lowest; 4.0 follows 3.0"
    ]
    gap_at_bottom = EXAMPLE.replace("{min: 1.0, label: concern}", "{min: 2.0, label: concern}")
    assert problems(gap_at_bottom) == [
        "line 6, bands[2].min: the lowest band must start at the scale minimum (1)"
    ]


def test_a_duplicated_yaml_key_is_caught() -> None:
    text = EXAMPLE.replace("version: 1\n", "version: 1\nversion: 2\n")
    assert problems(text) == ["line 4: the key 'version' appears twice"]


def test_broken_yaml_names_its_line() -> None:
    (problem,) = problems(EXAMPLE.replace("bands: [{min", "bands: [{min: [}"))
    assert problem.startswith("line 6, column 16: the file is not valid YAML")


def test_several_problems_are_all_reported_in_line_order() -> None:
    text = EXAMPLE.replace("version: 1", "version: one").replace("reverse: true}", "reverse: 1}")
    found = problems(text)
    assert [p.split(",")[0] for p in found] == ["line 3", "line 13"]


# --- what a schema cannot check, message by message -----------------------------------------------


BANDS = "bands: [{min: 4.0, label: strength}, {min: 3.0, label: borderline}, {min: 1.0, label: concern}]"


def test_a_one_point_scale_is_refused() -> None:
    # Every answer would be the same: no spread, no rwg(J) null variance, nothing to score.
    text = EXAMPLE.replace(
        "{min: 1, max: 5, labels: [Strongly disagree, Disagree, Neither, Agree, Strongly agree]",
        "{min: 3, max: 3, labels: [Neither, Neither]",
    ).replace(BANDS, "bands: [{min: 3, label: any}]")
    assert problems(text) == ["line 5, scale.max: must be greater than the scale minimum (3)"]


def test_a_scale_running_backwards_is_refused() -> None:
    text = EXAMPLE.replace("{min: 1, max: 5,", "{min: 5, max: 1,").replace(
        BANDS, "bands: [{min: 3, label: any}]"
    )
    assert problems(text) == [
        "line 5, scale.max: must be greater than the scale minimum (5)",
        "line 6, bands[0].min: 3 is outside the scale (5-1)",
    ]


def test_a_band_outside_the_scale_is_refused() -> None:
    above = EXAMPLE.replace("{min: 4.0, label: strength}", "{min: 6.0, label: strength}")
    assert problems(above) == ["line 6, bands[0].min: 6.0 is outside the scale (1-5)"]
    below = EXAMPLE.replace("{min: 1.0, label: concern}", "{min: 0.5, label: concern}")
    assert problems(below) == ["line 6, bands[2].min: 0.5 is outside the scale (1-5)"]
    # The scale's own ends are inside it.
    ends = EXAMPLE.replace("{min: 4.0, label: strength}", "{min: 5, label: strength}")
    assert [b.min for b in parse_instrument(ends).bands] == [5.0, 3.0, 1.0]


def test_equal_band_minimums_are_not_descending() -> None:
    text = EXAMPLE.replace("{min: 3.0, label: borderline}", "{min: 4.0, label: borderline}")
    assert problems(text) == ["line 6, bands[1].min: bands must run from highest to lowest; 4.0 follows 4.0"]


def test_a_dimension_key_used_twice_is_named() -> None:
    text = EXAMPLE + '  - {key: trust, title: Trust again, items: [{key: trust_3, text: "Again."}]}\n'
    assert problems(text) == ["line 14, dimensions[1].key: dimension key 'trust' is used twice"]


def test_optional_fields_default_to_what_a_plain_questionnaire_means() -> None:
    # No `dont_know`: the form offers no "Don't know"; no `reverse`: the item is scored as answered.
    text = textwrap.dedent(
        """\
        key: plain
        title: Plain
        version: 2
        scale: {min: 0, max: 3, labels: [a, b, c, d]}
        bands: [{min: 0, label: any}]
        dimensions:
          - {key: d, title: D, items: [{key: d_1, text: x}]}
        """
    )
    instrument = parse_instrument(text)
    assert instrument.scale.dont_know is False
    assert instrument.scale.points == 4
    assert instrument.dimension("d").items[0].reverse is False
    assert (instrument.version, instrument.audience, instrument.description, instrument.licence) == (
        2,
        "",
        "",
        "",
    )
    assert (instrument.dimension("d").source, instrument.dimension("d").description) == ("", "")
    with pytest.raises(KeyError):
        instrument.dimension("nope")


def test_a_score_below_every_band_has_no_band() -> None:
    instrument = parse_instrument(EXAMPLE)
    assert instrument.band_for(0.5) is None
    assert instrument.band_for(2.999) == "concern"
    assert instrument.band_for(5.0) == "strength"


def test_the_error_reads_as_plain_lines_naming_the_file() -> None:
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(EXAMPLE.replace("Neither, ", ""), source="mine.yaml")
    assert str(caught.value) == (
        "mine.yaml is not a valid instrument:\n  line 5, scale.labels: a 1-5 scale has 5 points but 4 labels are given"
    )
    assert caught.value.source == "mine.yaml"


def test_an_empty_file_and_a_missing_file_are_explained() -> None:
    assert problems("") == ["the file is empty"]
    with pytest.raises(InstrumentError) as caught:
        load_instrument("/no/such/file.yaml")
    (problem,) = caught.value.problems
    assert problem == (
        "there is no such file and no shipped instrument of that key "
        "(shipped: inter-professional, partnership-health, readiness)"
    )


def test_a_problem_deep_in_a_list_names_the_nearest_line() -> None:
    # The second item's key is missing: reported on the item's own line.
    text = EXAMPLE.replace('{key: trust_2, text: "Partners hide things.", reverse: true}', "{text: x}")
    assert problems(text) == ["line 13, dimensions[0].items[1]: 'key' is missing"]
    top = EXAMPLE.replace("key: partnership-health\n", "")
    assert problems(top) == ["line 1, (top level): 'key' is missing"]


def test_the_descriptive_fields_are_kept() -> None:
    text = EXAMPLE.replace(
        "audience: partner staff\n", "audience: partner staff\ndescription: For boards.\nlicence: CC BY 4.0\n"
    )
    instrument = parse_instrument(text)
    assert instrument.title == "Partnership health check"
    assert (instrument.audience, instrument.description, instrument.licence) == (
        "partner staff",
        "For boards.",
        "CC BY 4.0",
    )
    assert instrument.dimension("trust").title == "Develop and maintain trust"


def test_an_unknown_field_lists_the_allowed_ones() -> None:
    text = EXAMPLE.replace("    source: Hardy", "    sauce: Hardy")
    assert problems(text) == [
        "line 10, dimensions[0].sauce: unknown field 'sauce' (allowed: description, items, key, source, title)"
    ]


def test_several_problems_are_one_per_line_in_the_message(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "mine.yaml"
    path.write_text(EXAMPLE.replace("version: 1", "version: one").replace("reverse: true}", "reverse: 1}"))
    with pytest.raises(InstrumentError) as caught:
        load_instrument(path)
    assert caught.value.source == str(path)
    assert str(caught.value) == (
        f"{path} is not a valid instrument:\n"
        "  line 3, version: 'one' is not of type 'integer'\n"
        "  line 13, dimensions[0].items[1].reverse: 1 is not of type 'boolean'"
    )


def test_a_missing_file_is_named_as_given() -> None:
    with pytest.raises(InstrumentError) as caught:
        load_instrument("mine.yaml")
    assert caught.value.source == "mine.yaml"
    assert str(caught.value).startswith("mine.yaml is not a valid instrument:\n  there is no such file")


def test_with_no_shipped_instruments_the_message_says_none(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("joinedup.analysis.instruments.INSTRUMENT_DIR", tmp_path)
    with pytest.raises(InstrumentError) as caught:
        load_instrument("partnership-health")
    assert caught.value.problems == [
        "there is no such file and no shipped instrument of that key (shipped: none)"
    ]


def test_a_problem_in_merged_yaml_names_the_line_that_merges_it() -> None:
    # `<<: *anchor` content has no line of its own under the merging mapping: the mapping's line is used.
    text = EXAMPLE + (
        '  - <<: {title: Shared, items: [{key: shared_1, text: x, reverse: "no"}]}\n    key: shared\n'
    )
    assert problems(text) == ["line 14, dimensions[1].items[0].reverse: 'no' is not of type 'boolean'"]


def test_text_without_a_source_is_called_instrument_in_the_error() -> None:
    with pytest.raises(InstrumentError) as caught:
        parse_instrument("")
    assert str(caught.value) == "instrument is not a valid instrument:\n  the file is empty"


def test_broken_yaml_with_no_context_still_names_its_line() -> None:
    # "mapping values are not allowed here": PyYAML marks where the problem is, with no context mark.
    (problem,) = problems("key: one\ntitle: a: b\n")
    assert problem.startswith("line 2")
    assert problem.endswith("the file is not valid YAML (mapping values are not allowed here)")


def test_the_scale_labels_and_a_dimension_description_are_kept() -> None:
    text = EXAMPLE.replace(
        "    source: Hardy", "    description: Whether partners rely on each other.\n    source: Hardy"
    )
    instrument = parse_instrument(text)
    assert instrument.scale.labels == ("Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree")
    assert instrument.dimension("trust").description == "Whether partners rely on each other."


def test_broken_yaml_names_the_file_and_a_nested_duplicate_key_is_caught() -> None:
    with pytest.raises(InstrumentError) as caught:
        parse_instrument("key: one\ntitle: a: b\n", source="mine.yaml")
    assert str(caught.value).startswith("mine.yaml is not a valid instrument:\n  line 2")
    nested = EXAMPLE.replace(
        '{key: trust_1, text: "We keep our promises.",', "{key: trust_1, text: x, text: y,"
    )
    assert problems(nested) == ["line 12: the key 'text' appears twice"]  # the trust_1 line
