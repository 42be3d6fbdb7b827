"""The bounded text reader (analysis/reading.py) in detail: the exact message of each refusal, the line and
column it names, every limit at its exact boundary, gzip, and the line-by-line checker. (The broad classes
and the fuzzing are in test_reading.py.)"""

from __future__ import annotations

import gzip
import random
import tracemalloc
import zlib

import pytest

from joinedup.analysis.reading import (
    MB,
    FileReadError,
    Limits,
    LineChecker,
    amount,
    check_encoding,
    check_text,
    declared_gzip,
    gunzip_bounded,
)

SAVE_AS = "save it as UTF-8 (in Excel: CSV UTF-8) and try again"


def hint(flag: str) -> str:
    return f"(to allow more, use {flag} on the command line; see docs/limits.md)"


def refused(data: bytes, **kwargs: object) -> FileReadError:
    with pytest.raises(FileReadError) as raised:
        check_text(data, **kwargs)  # type: ignore[arg-type]
    return raised.value


def lines(chunks: list[bytes], **kwargs: object) -> list[str]:
    return list(LineChecker(**kwargs).lines(chunks))  # type: ignore[arg-type]


def line_refused(chunks: list[bytes], **kwargs: object) -> FileReadError:
    with pytest.raises(FileReadError) as raised:
        lines(chunks, **kwargs)
    return raised.value


def test_an_error_names_its_line_and_column_before_the_reason() -> None:
    assert str(FileReadError("bad", line=3, column="name")) == "line 3, column name: bad"
    assert str(FileReadError("bad", line=3)) == "line 3: bad"
    assert str(FileReadError("bad", column=2)) == "column 2: bad"
    assert str(FileReadError("bad")) == "bad"
    error = FileReadError("bad", line=1, column=4)
    assert (error.reason, error.line, error.column) == ("bad", 1, 4)


# --- encodings and binary data ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("a,b\n1,2\n".encode("utf-16"), f"the file is UTF-16 (little-endian) text, not UTF-8; {SAVE_AS}"),
        (b"\xfe\xff" + "a,b\n".encode("utf-16-be"), f"the file is UTF-16 (big-endian) text, not UTF-8; {SAVE_AS}"),
        ("a,b\n1,2\n".encode("utf-32"), f"the file is UTF-32 (little-endian) text, not UTF-8; {SAVE_AS}"),
        (b"\x00\x00\xfe\xff" + "a,b\n".encode("utf-32-be"), f"the file is UTF-32 (big-endian) text, not UTF-8; {SAVE_AS}"),
        *(
            ("a,b\n1,2\n".encode(codec), f"the file looks like {name} text without a byte-order mark, not UTF-8; {SAVE_AS}")
            for codec, name in [
                ("utf-16-le", "UTF-16 (little-endian)"),
                ("utf-16-be", "UTF-16 (big-endian)"),
                ("utf-32-le", "UTF-32 (little-endian)"),
                ("utf-32-be", "UTF-32 (big-endian)"),
            ]
        ),
        # the shortest text that can be told: one character of UTF-32
        (b"\x00\x00\x00a", f"the file looks like UTF-32 (big-endian) text without a byte-order mark, not UTF-8; {SAVE_AS}"),
        (b"a\x00\x00\x00", f"the file looks like UTF-32 (little-endian) text without a byte-order mark, not UTF-8; {SAVE_AS}"),
        (gzip.compress(b"a,b\n", mtime=0), "the file is gzip-compressed, not text; unpack or export it as a UTF-8 CSV file"),
        (b"\xef\xbb\xbfPK\x03\x04...", "the file is a zip archive (or an Excel workbook), not text; unpack or export it as a UTF-8 CSV file"),
        (b"\x00" * 10, "the file holds only NUL bytes (character 0): it is not text, and may be damaged"),
    ],
)  # fmt: skip
def test_each_encoding_is_named_in_full(data: bytes, expected: str) -> None:
    assert str(refused(data, name="ties.csv")) == expected


def test_a_utf16_guess_needs_more_than_nine_in_ten_nul_bytes_where_ascii_has_them() -> None:
    # 10 characters of UTF-16 (big-endian) in each lane; "ā" (U+0101) has no NUL byte.
    assert "looks like UTF-16 (big-endian)" in str(
        refused("abcdefghij,klmnopqrst\n".encode("utf-16-be")[:40])
    )
    # One of the ten even characters is ā: 90 % NULs in that lane, not more, so it is not called UTF-16
    # (and is then refused for its control characters).
    almost = "āb" + "cdefghijklmnopqrst"
    assert "UTF-16" not in str(refused(almost.encode("utf-16-be")))
    # Beside it, the lane that should have no NULs: one in ten (a NUL character) is too many.
    crowded = "a\x00bcdefghijklmnopqrs"
    assert str(refused(crowded.encode("utf-16-le"))).startswith(
        "line 1, column 1: the field holds a NUL byte"
    )
    # Half the even characters NUL: neither ASCII in UTF-16 nor anything else; refused for its NULs.
    halves = "\x00b" * 5 + "cd" * 5
    assert str(refused(halves.encode("utf-16-be"))).startswith("line 1, column 1: the field holds a NUL byte")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x01\x00\x00a" * 10, "the field holds the control character 1 (0x01)"),  # NULs in the middle two
        (b"ab\x00\x00" * 10, "the field holds a NUL byte"),  # NULs in the last two
        (b"a\x00bc" * 10, "the field holds a NUL byte"),  # NULs in the second only
        (b"XX\x00" * 10, "the field holds a NUL byte"),  # text with NULs is not "only NUL bytes"
    ],
)
def test_nul_bytes_in_other_patterns_are_not_called_utf16_or_32(data: bytes, reason: str) -> None:
    assert refused(data).reason.startswith(reason)


def test_utf16_cut_short_in_a_character_and_utf32_of_any_letters_are_named() -> None:
    looks = "the file looks like {} text without a byte-order mark"
    assert str(refused("a,b".encode("utf-16-le") + b"\x00")).startswith(
        looks.format("UTF-16 (little-endian)")
    )
    assert str(refused("XXXX".encode("utf-32-le"))).startswith(looks.format("UTF-32 (little-endian)"))


def test_three_bytes_are_too_few_to_call_an_encoding() -> None:
    error = refused(b"\x00\x00a")
    assert (error.line, error.column) == (1, 1)
    assert "NUL byte" in error.reason


def test_text_that_merely_starts_like_nothing_is_kept() -> None:
    assert check_encoding(b"\xef\xbb\xbfa,b\n") == b"a,b\n"
    assert check_encoding(b"a,b\n") == b"a,b\n"
    assert check_encoding(b"") == b""


def test_the_nul_only_check_reads_the_first_64_kb() -> None:
    # 64 KB of NULs and then text: damaged, and said so, rather than a NUL located at line 1.
    assert "only NUL bytes" in str(refused(b"\x00" * 65536 + b"a,b\n1,2\n"))
    error = refused(b"\x00" * 65535 + b"a,b\n1,2\n")
    assert (error.line, error.column) == (1, 1)


def test_a_long_file_comes_back_whole_without_its_bom() -> None:
    body = b"source,target\n" + b"".join(b"A%06d,B%06d\n" % (i, i) for i in range(10_000))
    assert len(body) > 65536
    assert check_text(b"\xef\xbb\xbf" + body) == body
    assert check_text(body) == body


# --- gzip ---------------------------------------------------------------------------------------------


def test_gzip_is_declared_by_the_name_in_any_case() -> None:
    assert declared_gzip("ties.csv.gz") and declared_gzip("TIES.CSV.GZ")
    assert not declared_gzip("ties.csv") and not declared_gzip("ties.gzip")
    data = gzip.compress(b"a,b\n1,2\n", mtime=0)
    assert check_text(data, name="Ties.CSV.GZ") == b"a,b\n1,2\n"
    assert "gzip-compressed, not text" in str(refused(data, name="ties.csv"))
    # Named .gz but not compressed: read as the text it is.
    assert check_text(b"a,b\n1,2\n", name="ties.csv.gz") == b"a,b\n1,2\n"


def test_gzip_unpacks_to_exactly_the_cap_and_no_further() -> None:
    text = b"a,b\n" + b"1,2\n" * (MB // 4 - 1)  # exactly 1 MB
    packed = gzip.compress(text)
    assert gunzip_bounded(packed, limits=Limits(max_decompressed_bytes=MB)) == text
    with pytest.raises(FileReadError) as raised:
        gunzip_bounded(packed, limits=Limits(max_decompressed_bytes=MB - 1))
    assert str(raised.value) == f"the file unpacks to more than 1023.9 KB {hint('--max-decompressed-bytes')}"
    with pytest.raises(FileReadError) as raised:
        check_text(
            gzip.compress(b"0" * (3 * MB)), name="x.csv.gz", limits=Limits(max_decompressed_bytes=2 * MB)
        )
    assert str(raised.value) == f"the file unpacks to more than 2 MB {hint('--max-decompressed-bytes')}"


def test_gzip_larger_than_one_piece_is_unpacked_whole() -> None:
    # Random-looking text does not compress: several 64 KB pieces of input.
    text = b"n\n" + b"".join(b"%d\n" % ((i * 2654435761) % 4294967296) for i in range(60_000))
    packed = gzip.compress(text)
    assert len(packed) > 3 * 64 * 1024
    assert gunzip_bounded(packed) == text


def test_a_bomb_is_stopped_within_a_little_more_than_the_cap() -> None:
    # Half a MB of noise, then 64 MB of zeros (64 KB of input unpacks to 64 MB): unpacking stops once it
    # passes the cap, never holding much more than the cap in memory.
    noise = random.Random(0).randbytes(MB // 2)
    bomb = gzip.compress(noise + b"\0" * (64 * MB), compresslevel=9)
    tracemalloc.start()
    try:
        with pytest.raises(FileReadError, match="unpacks to more than 1 MB"):
            gunzip_bounded(bomb, limits=Limits(max_decompressed_bytes=MB))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * MB


def test_zlib_data_without_the_gzip_header_is_not_gzip() -> None:
    with pytest.raises(FileReadError) as raised:
        gunzip_bounded(zlib.compress(b"a,b\n1,2\n"))
    assert (
        str(raised.value)
        == "the gzip data is damaged (Error -3 while decompressing data: incorrect header check)"
    )


def test_damaged_or_cut_gzip_is_refused_plainly() -> None:
    packed = bytearray(gzip.compress(b"a,b\n1,2\n" * 100, mtime=0))
    packed[15:20] = b"\xff" * 5
    with pytest.raises(FileReadError) as raised:
        gunzip_bounded(bytes(packed))
    assert str(raised.value).startswith("the gzip data is damaged (Error -3 while decompressing data: ")
    with pytest.raises(FileReadError) as raised:
        gunzip_bounded(gzip.compress(b"a,b\n1,2\n")[:-12])
    assert str(raised.value) == "the gzip data is cut short (the file is incomplete)"


@pytest.mark.parametrize("data", [b"", b" \r\n\t\n", b"\xef\xbb\xbf\n"])
def test_an_empty_file_is_called_empty(data: bytes) -> None:
    assert str(refused(data)) == "the file is empty (it needs a header row naming the columns)"
    assert str(refused(data, header=False)) == "the file is empty"


# --- sizes, rows and columns ---------------------------------------------------------------------------


def test_the_file_size_limit_holds_to_the_byte() -> None:
    data = b"a\n" + b"1\n" * (MB // 2 - 1)  # exactly 1 MB
    assert check_text(data, limits=Limits(max_bytes=MB)) == data
    assert (
        str(refused(data + b"1\n", limits=Limits(max_bytes=MB)))
        == f"the file is larger than 1 MB {hint('--max-bytes')}"
    )


def test_the_text_size_limit_holds_to_the_byte_uncompressed_too() -> None:
    data = b"a\n" + b"1\n" * (MB - 1)  # exactly 2 MB
    assert check_text(data, limits=Limits(max_decompressed_bytes=2 * MB)) == data
    assert str(refused(data + b"1\n", limits=Limits(max_decompressed_bytes=2 * MB))) == (
        f"the text is larger than 2 MB {hint('--max-decompressed-bytes')}"
    )


@pytest.mark.parametrize("end", [b"\n", b""])
def test_rows_are_counted_with_or_without_a_last_line_ending(end: bytes) -> None:
    data = b"a\n1\n2\n3" + end
    assert check_text(data, limits=Limits(max_rows=3)) == data
    assert (
        str(refused(data, limits=Limits(max_rows=2))) == f"the file has more than 2 rows {hint('--max-rows')}"
    )
    # without a header every line is a row
    assert check_text(data, header=False, limits=Limits(max_rows=4)) == data
    assert "more than 3 rows" in str(refused(data, header=False, limits=Limits(max_rows=3)))


def test_the_row_limit_is_written_with_thousands_separators() -> None:
    data = b"a\n" + b"1\n" * 1001
    assert (
        str(refused(data, limits=Limits(max_rows=1000)))
        == f"the file has more than 1,000 rows {hint('--max-rows')}"
    )


def test_columns_are_counted_on_the_header_to_the_limit() -> None:
    assert check_text(b"a,b,c\n1,2,3\n", limits=Limits(max_columns=3)) == b"a,b,c\n1,2,3\n"
    error = refused(b"a,b,c,d\n1,2,3,4\n", limits=Limits(max_columns=3))
    assert str(error) == f"line 1: the file has 4 columns; at most 3 are read {hint('--max-columns')}"
    wide = b",".join(b"c%d" % i for i in range(1200)) + b"\n" + b"1" * 1199 + b"\n"
    assert str(refused(wide, limits=Limits(max_columns=1000))) == (
        f"line 1: the file has 1,200 columns; at most 1,000 are read {hint('--max-columns')}"
    )
    assert check_text(b"a;b;c\n1;2;3\n", delimiter=b";", limits=Limits(max_columns=3)) == b"a;b;c\n1;2;3\n"
    assert "4 columns" in str(refused(b"a;b;c;d\n1;2;3;4\n", delimiter=b";", limits=Limits(max_columns=3)))


@pytest.mark.parametrize(
    ("data", "delimiter"),
    [(b"a,b\n", b","), (b"a,b\n,,\n , \n\t\n", b","), (b"a;b\n;;\n", b";"), (b"a,b\r\n,\r\n", b",")],
)
def test_rows_of_only_separators_and_spaces_are_no_data(data: bytes, delimiter: bytes) -> None:
    error = refused(data, delimiter=delimiter)
    assert str(error) == "line 2: the file has a header row but no data rows below it"
    assert check_text(data, delimiter=delimiter, require_rows=False)
    assert check_text(data, delimiter=delimiter, header=False)


def test_a_header_without_a_line_ending_is_still_only_a_header() -> None:
    assert str(refused(b"source,target")) == "line 2: the file has a header row but no data rows below it"
    assert check_text(b"source,target", header=False) == b"source,target"


def test_a_single_data_cell_is_data() -> None:
    assert check_text(b"a\nX\n") == b"a\nX\n"
    assert check_text(b"a,b\n,x\n") == b"a,b\n,x\n"


@pytest.mark.parametrize(
    ("header", "delimiter", "expected"),
    [
        (b"a;b", b",", "separated by semicolons, not commas"),
        (b"a\tb", b",", "separated by tabs, not commas"),
        (b"a|b", b",", "separated by vertical bars, not commas"),
        (b"a\tb", b";", "separated by tabs, not the expected separator"),
        (b"a,b", b";", None),  # a comma in a one-column header is not guessed at
        (b"a|b", b"\t", "separated by vertical bars, not the expected separator"),
    ],
)
def test_a_one_column_header_names_the_separator_it_seems_to_use(
    header: bytes, delimiter: bytes, expected: str | None
) -> None:
    data = header + b"\n1\n"
    if expected is None:
        assert check_text(data, delimiter=delimiter) == data
        return
    error = refused(data, delimiter=delimiter)
    assert str(error) == f"line 1: the header has one column: the file seems to be {expected}"
    # a file with no header is one column of whatever it holds
    assert check_text(data, delimiter=delimiter, header=False) == data


# --- line endings, control characters and UTF-8 ---------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"a,b\r1,2\r", b"a,b\n1,2\n"),  # CR only
        (b"a,b\r\n1,2\r\n", b"a,b\r\n1,2\r\n"),  # CRLF is kept (the parser reads it)
        (b"a,b\r\n1,2\r3,4\n", b"a,b\r\n1,2\n3,4\n"),  # a lone CR among CRLFs
        (b"a,b\n1,2\n", b"a,b\n1,2\n"),
    ],
)
def test_line_endings_become_lf_or_crlf_byte_for_byte(data: bytes, expected: bytes) -> None:
    assert check_text(data) == expected


@pytest.mark.parametrize(
    ("data", "kwargs", "where"),
    [
        (b"a,b\n1,\x01\n", {}, (2, "b")),
        (b"a,\x7f\n1,2\n", {}, (1, 2)),  # in the header: the column's number
        (b"a,b\n1,2,\x03\n", {}, (2, 3)),  # past the header's columns
        (b"a, b ,\n1,\x03\n", {}, (2, "b")),  # the name without its spaces
        (b"a,,c\n1,\x03\n", {}, (2, 2)),  # a column with no name
        (b"a;b\n1;\x03\n", {"delimiter": b";"}, (2, "b")),
        (b"a\tb\nx\ty\n1\t\x03\n", {"delimiter": b"\t"}, (3, "b")),
        (b"a,b\n1,\x03\n", {"header": False}, (2, 2)),
        (b"a,b\r\n1,2\r\n3,4\r\n5,\x03\r\n", {}, (4, "b")),
        (b"a,b\r1,2\r\x05,4\r", {}, (3, "a")),
        (b"a,b\n,\x01\n", {}, (2, "b")),  # a line starting with its delimiter
        (b"\nx,\x01\n", {}, (2, 2)),  # after an empty first line
        (b"caf\xe9,b\n1,\x01\n", {}, (2, "b")),  # a header that is not UTF-8 still names its columns
        (b"caf\xe9,b\n\x01,2\n", {}, (2, "caf\ufffd")),
        (b"\n\nx,\x01\n", {}, (3, 2)),
    ],
)
def test_a_control_character_is_located_by_line_and_column(
    data: bytes, kwargs: dict[str, object], where: tuple[int, object]
) -> None:
    error = refused(data, **kwargs)
    assert (error.line, error.column) == where


@pytest.mark.parametrize(
    ("byte", "reason"),
    [
        (0, "the field holds a NUL byte (character 0), which text cannot contain; the file may be damaged"),
        (1, "the field holds the control character 1 (0x01), which text cannot contain"),
        (27, "the field holds the control character 27 (0x1B), which text cannot contain"),
        (127, "the field holds the control character 127 (0x7F), which text cannot contain"),
    ],
)
def test_each_control_character_is_named(byte: int, reason: str) -> None:
    error = refused(b"a,b\n1,x" + bytes([byte]) + b"\n")
    assert str(error) == f"line 2, column b: {reason}"
    error = line_refused([b"a,b\n1,x" + bytes([byte]) + b"\n"])
    assert str(error) == f"line 2, column 2: {reason}"


def test_text_that_is_not_utf8_names_its_line_and_byte() -> None:
    assert str(refused(b"\xe9a,b\n1,2\n")) == f"line 1: the text is not UTF-8 (byte 0xE9); {SAVE_AS}"
    assert str(refused(b"a,b\n1,2\n3,caf\xe9\n")) == f"line 3: the text is not UTF-8 (byte 0xE9); {SAVE_AS}"
    assert str(refused(b"a,b\n1,\xc3(\n")) == f"line 2: the text is not UTF-8 (byte 0xC3); {SAVE_AS}"
    assert check_text("a,b\n1,café\n".encode()) == "a,b\n1,café\n".encode()


def test_utf8_is_checked_across_the_8_mb_pieces() -> None:
    before = b"h\n" + b"a\n" * (4 * MB - 2) + b"x"  # 8 MB less 1 byte, on 4 MB - 1 lines and a bit
    # é split between the first piece and the second is fine
    good = before + b"\xc3\xa9\n"
    assert len(good[: 8 * MB]) == 8 * MB and good[8 * MB - 1 : 8 * MB] == b"\xc3"
    assert check_text(good, limits=Limits(max_rows=5 * MB)) == good
    # a lead byte at the end of the first piece followed by one that cannot continue it
    bad = before + b"\xc3(\n"
    error = refused(bad, limits=Limits(max_rows=5 * MB))
    assert str(error) == f"line {4 * MB}: the text is not UTF-8 (byte 0xC3); {SAVE_AS}"
    # an invalid byte deep in the second piece
    far = before + b"ok\nfine\n\xff\n"
    assert refused(far, limits=Limits(max_rows=5 * MB)).line == 4 * MB + 2
    # a file of exactly 8 MB whose last character is cut short
    cut = before + b"\xc3"
    assert len(cut) == 8 * MB
    assert refused(cut, limits=Limits(max_rows=5 * MB)).reason.startswith("the text is not UTF-8 (byte 0xC3)")


# --- the line-by-line checker ---------------------------------------------------------------------------


def test_the_line_checker_yields_every_line_however_it_ends_and_is_split() -> None:
    assert lines([b"a,b\n1,2"]) == ["a,b\n", "1,2\n"]
    assert lines([b"a,b\r", b"\n1,2\r", b"3,4\r"]) == ["a,b\n", "1,2\n", "3,4\n"]
    assert lines([b"a,b\r", b"\r", b"1,2\r\n"]) == ["a,b\n", "\n", "1,2\n"]
    assert lines([b"a", b",b", b"\n", b"1,2\n"]) == ["a,b\n", "1,2\n"]
    assert lines([b"a,b\n", b"\r"]) == ["a,b\n"]
    assert lines([]) == []
    assert lines([b"caf\xc3", b"\xa9\n"]) == ["café\n"]
    # the last line, with no line ending, is kept as it is (spaces and a last X too)
    assert lines([b"name\nMAX"]) == ["name\n", "MAX\n"]
    assert lines([b"name\nX"]) == ["name\n", "X\n"]
    assert lines([b"name\n "]) == ["name\n", " \n"]
    assert lines([b"a,b\n1, "]) == ["a,b\n", "1, \n"]
    error = line_refused([b"a,b\n1,2\n3,\x01"])
    assert (error.line, error.column) == (3, 2)


def test_the_line_checker_looks_at_the_encoding_of_the_start_only() -> None:
    # "BZh" and a UTF-8 BOM starting a later chunk are text, not bzip2 or a BOM
    assert lines([b"\xef\xbb\xbfname,sector\n", b"BZh Trust,nhs\n"]) == ["name,sector\n", "BZh Trust,nhs\n"]
    assert "bzip2-compressed" in str(line_refused([b"BZh91AY", b"more"]))
    # ... also where a later chunk could pass for bzip2 data or a BOM-led UTF-8 text
    assert lines([b"name\n", b"BZh9 Ltd\n", b"\xef\xbb\xbfx\n"]) == ["name\n", "BZh9 Ltd\n", "\ufeffx\n"]


def test_text_that_starts_like_bzip2_is_text_unless_a_block_size_follows() -> None:
    # bzip2 data is "BZh" and a block size 1-9 (then the block magic 1AY&SY); a CSV may start "BZh" too.
    assert lines([b"BZh Trust,nhs\n"]) == ["BZh Trust,nhs\n"]
    assert lines([b"BZh0,x\n"]) == ["BZh0,x\n"]
    assert lines([b"BZhx\n"]) == ["BZhx\n"]
    assert check_text(b"BZh\n1\n") == b"BZh\n1\n"
    for size in b"19":
        assert "bzip2-compressed" in str(line_refused([b"BZh" + bytes([size]) + b"1AY&SY"]))
        assert "bzip2-compressed" in str(refused(b"BZh" + bytes([size]) + b"1AY&SY"))


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0 bytes"),
        (1, "1 byte"),
        (1023, "1023 bytes"),
        (1024, "1 KB"),
        (1536, "1.5 KB"),
        (1024 + 102, "1 KB"),  # 1.0996 KB: rounded down, so "larger than" stays true
        (1024 + 103, "1.1 KB"),
        (512 * 1024, "512 KB"),
        (MB - 1, "1023.9 KB"),
        (MB, "1 MB"),
        (3 * MB // 2, "1.5 MB"),
        (100 * MB, "100 MB"),
        (1024 * MB, "1 GB"),
        (5 * 1024 * MB // 2, "2.5 GB"),
        (2048 * 1024 * MB, "2048 GB"),
    ],
)
def test_amounts_read_as_people_write_them(n: int, text: str) -> None:
    assert amount(n) == text


def test_a_limit_under_a_megabyte_is_not_called_0_mb() -> None:
    assert str(refused(b"a\n" + b"1\n" * 400_000, limits=Limits(max_bytes=600 * 1024))) == (
        f"the file is larger than 600 KB {hint('--max-bytes')}"
    )
    assert "unpacks to more than 512 KB" in str(
        refused(
            gzip.compress(b"a\n" + b"1\n" * MB),
            name="ties.csv.gz",
            limits=Limits(max_decompressed_bytes=512 * 1024),
        )
    )


def test_the_line_checker_limits_bytes_across_chunks() -> None:
    chunks = [b"a,b\n", b"1,2\n" * 254, b"1,2\n"]  # 1,024 bytes
    assert len(lines(chunks, limits=Limits(max_bytes=1024))) == 256
    error = line_refused([*chunks, b"\n"], limits=Limits(max_bytes=1024))
    assert str(error) == f"the file is larger than 1 KB {hint('--max-bytes')}"
    error = line_refused([b"x" * MB, b"x" * MB, b"x"], limits=Limits(max_bytes=2 * MB))
    assert str(error) == f"the file is larger than 2 MB {hint('--max-bytes')}"


def test_the_line_checker_limits_rows_after_the_header() -> None:
    assert len(lines([b"h\n1\n2\n"], limits=Limits(max_rows=2))) == 3
    error = line_refused([b"h\n1\n2\n3\n"], limits=Limits(max_rows=2))
    assert str(error) == f"the file has more than 2 rows {hint('--max-rows')}"
    error = line_refused([b"h\n" + b"1\n" * 1001], limits=Limits(max_rows=1000))
    assert str(error) == f"the file has more than 1,000 rows {hint('--max-rows')}"


def test_the_line_checker_limits_the_header_columns() -> None:
    assert lines([b"a,b,c\n1,2,3,4,5\n"], limits=Limits(max_columns=3)) == ["a,b,c\n", "1,2,3,4,5\n"]
    error = line_refused([b"a,b,c,d\n1\n"], limits=Limits(max_columns=3))
    assert str(error) == f"line 1: the file has more than 3 columns {hint('--max-columns')}"
    wide = b",".join([b"c"] * 1001) + b"\n"
    assert "more than 1,000 columns" in str(line_refused([wide], limits=Limits(max_columns=1000)))
    assert lines([b"a;b;c\n"], delimiter=b";", limits=Limits(max_columns=3)) == ["a;b;c\n"]


def test_the_line_checker_locates_faults_with_its_delimiter() -> None:
    error = line_refused([b"a;b;c\n1;2;\x00\n"], delimiter=b";")
    assert (error.line, error.column) == (2, 3)
    error = line_refused([b"a,b\n1,2\n3,caf\xe9\n"])
    assert str(error) == f"line 3: the text is not UTF-8; {SAVE_AS}"
    error = line_refused([b"a,b\n\x07,2\n"])  # before a delimiter
    assert (error.line, error.column) == (2, 1)
    error = line_refused([b"a,b\n,\x01\n"])  # a line starting with its delimiter
    assert (error.line, error.column) == (2, 2)
    error = line_refused([b"a,b\n", b"1,2\r\n", b"\x07\r\n"])
    assert (error.line, error.column) == (3, 1)
