"""The bounded YAML reader (analysis/reading_yaml.py): every limit holds at its exact boundary, and every
refusal is the plain message, with line and column, that an instrument author reads."""

from __future__ import annotations

import pytest
import yaml

from joinedup.analysis.reading import FileReadError, Limits
from joinedup.analysis.reading_yaml import load_yaml, yaml_text


def message(data: bytes | str, **limits: int) -> str:
    with pytest.raises(FileReadError) as raised:
        load_yaml(data, limits=Limits(**limits))
    return str(raised.value)


def value(data: bytes | str, **limits: int) -> object:
    return load_yaml(data, limits=Limits(**limits))[1]


def test_a_plain_document_gives_its_node_tree_and_its_data() -> None:
    node, data = load_yaml(b"name: Partnership health\nitems:\n  - key: q1\n    scale: [1, 5]\n")
    assert data == {"name": "Partnership health", "items": [{"key": "q1", "scale": [1, 5]}]}
    assert isinstance(node, yaml.MappingNode)
    assert node.value[1][0].start_mark.line == 1  # "items" is on the second line, for later messages


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n"])
def test_an_empty_document_is_none(text: str) -> None:
    assert load_yaml(text) == (None, None)


@pytest.mark.parametrize(
    ("text", "depth", "expected"),
    [
        # flow style, [ and {: the scanner is stopped at the limit, where the bracket is
        ("[[1]]", 2, [[1]]),
        ("[[[1]]]", 2, "line 1, column 3: lists and maps are nested more than 2 deep"),
        ("[[[[[1]]]]]", 2, "line 1, column 3: lists and maps are nested more than 2 deep"),
        ("[[[[[[", 2, "line 1, column 3: lists and maps are nested more than 2 deep"),
        ("{a: {b: {c: {d: 1}}}}", 2, "line 1, column 9: lists and maps are nested more than 2 deep"),
        ("a: [{b: 1}]", 3, {"a": [{"b": 1}]}),
        ("a: [{b: [1]}]", 3, "line 1, column 9: lists and maps are nested more than 3 deep"),
        ("a: [[1]]", 2, "line 1, column 5: lists and maps are nested more than 2 deep"),
        # block style: counted as the nodes are composed
        ("a:\n  b:\n    c: 1\n", 3, {"a": {"b": {"c": 1}}}),
        ("a:\n  b:\n    c: 1\n", 2, "line 3, column 5: lists and maps are nested more than 2 deep"),
        ("- - - 1\n", 3, [[[1]]]),
        ("- - - 1\n", 2, "line 1, column 5: lists and maps are nested more than 2 deep"),
    ],
)
def test_nesting_is_allowed_to_the_limit_and_refused_one_deeper(
    text: str, depth: int, expected: object
) -> None:
    if isinstance(expected, str):
        assert message(text, max_yaml_depth=depth) == expected
    else:
        assert value(text, max_yaml_depth=depth) == expected


def test_the_default_depth_is_20() -> None:
    nested: object = []
    for _ in range(19):
        nested = [nested]
    assert value("[" * 20 + "]" * 20) == nested
    assert message("[" * 21 + "]" * 21) == "line 1, column 21: lists and maps are nested more than 20 deep"
    block = "".join("  " * level + f"k{level}:\n" for level in range(20)) + "  " * 20 + "k20: 1\n"
    assert message(block) == "line 21, column 41: lists and maps are nested more than 20 deep"


def test_many_collections_side_by_side_are_not_nesting() -> None:
    # Depth goes back down after each list: 30 sibling lists of maps, two deep each, within a limit of 3.
    text = "".join(f"- {{k: [{i}]}}\n" for i in range(30)) + "".join(f"- - {i}\n" for i in range(30))
    assert value(text, max_yaml_depth=3) == [{"k": [i]} for i in range(30)] + [[i] for i in range(30)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- [1]\n- [[[1]]]\n", "line 2, column 5: lists and maps are nested more than 3 deep"),
        ("- - [1]\n  - [[1]]\n", "line 2, column 6: lists and maps are nested more than 3 deep"),
        ("a: {b: 1}\nc:\n  d:\n    e: [1]\n", "line 4, column 8: lists and maps are nested more than 3 deep"),
    ],
)
def test_depth_is_counted_again_after_a_sibling_closes(text: str, expected: str) -> None:
    assert message(text, max_yaml_depth=3) == expected


def test_the_number_of_values_is_capped() -> None:
    # a list of three numbers is four values: the list and each number
    assert value("[1, 2, 3]", max_yaml_nodes=4) == [1, 2, 3]
    assert message("[1, 2, 3]", max_yaml_nodes=3) == "line 1, column 8: the file has more than 3 values"
    text = "\n".join(f"- {i}" for i in range(1500))
    assert message(text, max_yaml_nodes=1000) == "line 1000, column 3: the file has more than 1,000 values"
    assert value(text, max_yaml_nodes=1501) == list(range(1500))


@pytest.mark.parametrize(
    "text",
    ["a: &x 1\nb: 2\n", "a: *x\n", "a: &x [1]\n", "a: !!str &x 1\n", "- &x {b: 1}\n"],
)
def test_anchors_and_aliases_are_refused_where_they_are(text: str) -> None:
    column = 3 if text.startswith("-") else 4
    assert (
        message(text)
        == f"line 1, column {column}: anchors and aliases (& and *) are not allowed in this file"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a: x\x00y\n",
            "line 1, column 5: the file holds a NUL byte (character 0), which YAML text cannot contain",
        ),
        (
            "a: 1\nb: x\x07y\n",
            "line 2, column 5: the file holds a control character, which YAML text cannot contain",
        ),
        ("\x1b", "line 1, column 1: the file holds a control character, which YAML text cannot contain"),
        (
            "ab\ncd\nef\x00",
            "line 3, column 3: the file holds a NUL byte (character 0), which YAML text cannot contain",
        ),
    ],
)
def test_nul_and_control_characters_are_located(text: str, expected: str) -> None:
    assert message(text) == expected
    assert message(text.encode()) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("key: [1, 2", "line 1, column 11: the file is not valid YAML (expected ',' or ']', but got '<stream end>')"),
        ("a: b: c", "line 1, column 5: the file is not valid YAML (mapping values are not allowed here)"),
        ("a: 1\n---\nb: 2\n", "line 2, column 1: the file is not valid YAML (but found another document)"),
        ("- 1\n- !!binary zz\n", "line 2, column 3: the file is not valid YAML (failed to decode base64 data: "
         "Incorrect padding)"),
        ("a: !!python/object:os.system x", "line 1, column 4: the file is not valid YAML (could not determine a "
         "constructor for the tag 'tag:yaml.org,2002:python/object:os.system')"),
    ],
)  # fmt: skip
def test_a_syntax_error_names_its_line_and_column(text: str, expected: str) -> None:
    assert message(text) == expected


def test_nesting_past_what_the_parser_can_follow_is_refused_plainly() -> None:
    # With the depth limit raised out of the way, Python's own recursion limit is what stops it.
    assert (
        message("key: " + "[" * 5000 + "]" * 5000, max_yaml_depth=100_000)
        == "lists and maps are nested too deep"
    )


@pytest.mark.parametrize("data", ["x" * 1024, b"x" * 1024])
def test_the_size_limit_holds_to_the_byte(data: str | bytes) -> None:
    assert value(data, max_yaml_bytes=1024) == "x" * 1024
    assert message(data + data[:1], max_yaml_bytes=1024) == "the file is larger than 1 KB"
    assert message(data * 3, max_yaml_bytes=2048) == "the file is larger than 2 KB"


def test_the_text_must_be_utf8_and_is_located_by_line() -> None:
    assert message(b"a: caf\xe9\nb: 1\n") == (
        "line 1: the text is not UTF-8; save it as UTF-8 (in Excel: CSV UTF-8) and try again"
    )
    assert message(b"\n\na: caf\xe9\n") == (
        "line 3: the text is not UTF-8; save it as UTF-8 (in Excel: CSV UTF-8) and try again"
    )
    assert message(b"a: 1\nb: 2\nc: caf\xe9\n") == (
        "line 3: the text is not UTF-8; save it as UTF-8 (in Excel: CSV UTF-8) and try again"
    )
    assert message("a: 1\n".encode("utf-16")) == (
        "the file is UTF-16 (little-endian) text, not UTF-8; save it as UTF-8 (in Excel: CSV UTF-8) and try again"
    )
    assert yaml_text(b"\xef\xbb\xbfa: caf\xc3\xa9\n") == "a: café\n"
    assert yaml_text("a: 1\n") == "a: 1\n"
