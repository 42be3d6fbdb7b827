"""The bounded JSON reader: nesting counted before parsing (brackets in strings do not count), member names used
twice named with their path, and the shared checks (size, encoding) of the bounded readers."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from joinedup.analysis.reading import DEFAULT_LIMITS, FileReadError
from joinedup.analysis.reading_json import load_json

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@given(JSON)
def test_what_json_writes_is_read_back(value):
    assert load_json(json.dumps(value).encode()) == value


def test_brackets_inside_strings_do_not_count_as_nesting():
    text = json.dumps({"text": "[" * 1000 + '\\"{' * 500})
    assert load_json(text.encode())["text"].startswith("[[[")


def test_nesting_past_the_limit_is_refused_with_where():
    limits = DEFAULT_LIMITS.replace(max_json_depth=3)
    assert load_json(b"[[[1]]]", limits=limits) == [[[1]]]
    with pytest.raises(FileReadError) as caught:
        load_json(b'{"a": [\n  [[1]]]}', limits=limits)
    assert str(caught.value).startswith("line 2, column 4: the JSON is nested more than 3 levels deep")


def test_a_member_name_used_twice_is_named_with_its_path():
    with pytest.raises(FileReadError) as caught:
        load_json(b'{"people": [{"name": "A"}, {"name": "B", "name": "C"}]}')
    assert str(caught.value) == "$.people[1]: the member name 'name' is used twice in one object"


def test_a_byte_order_mark_is_dropped_and_bad_text_refused():
    assert load_json(b'\xef\xbb\xbf{"a": 1}') == {"a": 1}
    with pytest.raises(FileReadError, match="not UTF-8"):
        load_json(b'{"a": "\xff"}')
    with pytest.raises(FileReadError, match="larger than 10 bytes"):
        load_json(b'{"a": "0123456789"}', limits=DEFAULT_LIMITS.replace(max_bytes=10))
