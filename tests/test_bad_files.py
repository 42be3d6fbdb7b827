"""Every file command and every upload on each class of bad file (issue 11): a clear message, exit code 2 and
no traceback, nothing written, and bombs refused within bounded memory and time.

Bombs are made small on disk (a gzip of zeros, a Parquet file of one long string repeated) in the test's
temporary folder. Peak memory is measured in a subprocess: for the commands with resource's
RUSAGE_CHILDREN (the real `joinedup` executable, run by a small wrapper so that only it is counted), for the
web's reader (the upload check and the job's read) with RUSAGE_SELF above the process's own baseline.
"""

from __future__ import annotations

import ast
import gzip
import io
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from joinedup.analysis.instruments import load_instrument
from joinedup.core.models import Job
from joinedup.register.models import Organisation
from joinedup.surveys.models import Response, Wave
from tests.assessments.helpers import make_wave, partnership_with_members
from tests.conftest import grant
from tests.factories import UserFactory

BIN = Path(sys.executable).parent / "joinedup"
MB = 1024 * 1024
MEMORY_LIMIT_MB = 500
TIME_LIMIT_S = 60  # generous: the machine is shared; a refused bomb takes about a second
ITEMS = load_instrument("partnership-health").item_keys
HEADERS = {  # the header and one good row of each kind of file
    "ties": ("source,target", "A,B"),
    "nodes": ("id,name", "A,Alpha"),
    "responses": (",".join(ITEMS), ",".join("3" for _ in ITEMS)),
    "organisations": ("name,sector", "Alpha Trust,nhs"),
    "series": ("period,value", "A,1"),
}


def text(kind: str, *rows: str, ending: str = "\n") -> bytes:
    header, good = HEADERS[kind]
    return ending.join([header, *(rows or (good,))]).encode() + ending.encode()


def gzip_bomb(path: Path, megabytes: int) -> Path:
    """gzip of `megabytes` MB of zeros, written in pieces: about 1 KB on disk per MB."""
    with gzip.open(path, "wb", compresslevel=9) as handle:
        block = b"0" * MB
        for _ in range(megabytes):
            handle.write(block)
    return path


def parquet_bomb(path: Path) -> Path:
    """2,000 rows of one 200 KB string: a few KB on disk, 400 MB as text."""
    pl.DataFrame({"source": ["x" * 200_000] * 2000, "target": ["B"] * 2000}).write_parquet(path)
    return path


# class -> (file name, contents for a kind, a fragment the message must hold)
BAD_CLASSES: dict[str, tuple[str, Callable[[str], bytes], str]] = {
    "gzip named .csv": ("bad.csv", lambda kind: gzip.compress(text(kind)), "gzip-compressed, not text"),
    "parquet named .csv": ("bad.csv", lambda kind: b"PAR1" + b"\x00" * 100, "a Parquet file, not text"),
    "NUL byte": ("bad.csv", lambda kind: text(kind).replace(b"\n", b"\n\x00", 1), "NUL byte"),
    "control character": ("bad.csv", lambda kind: text(kind)[:-1] + b"\x1b\n", "control character 27"),
    "UTF-16BE without BOM": (
        "bad.csv",
        lambda kind: text(kind).decode().encode("utf-16-be"),
        "UTF-16 (big-endian)",
    ),
    "UTF-16 with BOM": (
        "bad.csv",
        lambda kind: text(kind).decode().encode("utf-16"),
        "UTF-16 (little-endian)",
    ),
    "all NUL": ("bad.csv", lambda kind: b"\x00" * 5000, "only NUL bytes"),
    "empty": ("bad.csv", lambda kind: b"", "empty"),
    "CR only": ("bad.csv", lambda kind: b"\r\r\r\r", "empty"),
    "header only": ("bad.csv", lambda kind: text(kind).split(b"\n")[0] + b"\n", "header"),
    "header only, CR": ("bad.csv", lambda kind: text(kind).split(b"\n")[0] + b"\r\r", "header"),
    "one column": ("bad.csv", lambda kind: b"justone\nvalue\n", "column"),
    "semicolons": ("bad.csv", lambda kind: text(kind).replace(b",", b";"), "column"),
    "not UTF-8": ("bad.csv", lambda kind: text(kind)[:-1] + b"\xe9\n", "not UTF-8"),
}


def _network(path: Path, **_: Any) -> None:
    call_command("network", "analyse", str(path), stdout=io.StringIO())


def _network_nodes(path: Path, tmp_path: Path, **_: Any) -> None:
    ties = tmp_path / "good-ties.csv"
    ties.write_bytes(text("ties"))
    call_command("network", "analyse", str(ties), "--nodes", str(path), stdout=io.StringIO())


def _score(path: Path, **_: Any) -> None:
    call_command("assess", "score", str(path), "--instrument", "partnership-health", stdout=io.StringIO())


def _import(path: Path, wave: Wave, **_: Any) -> None:
    call_command("assess", "import", str(wave.pk), str(path), stdout=io.StringIO())


def _spc(path: Path, **_: Any) -> None:
    call_command("indicator", "spc", str(path), stdout=io.StringIO())


def _organisations(path: Path, stderr: io.StringIO, **_: Any) -> None:
    call_command("import-organisations", str(path), "--format", "csv", stdout=io.StringIO(), stderr=stderr)


COMMANDS = {
    "network analyse": ("ties", _network),
    "network analyse --nodes": ("nodes", _network_nodes),
    "assess score": ("responses", _score),
    "assess import": ("responses", _import),
    "import-organisations": ("organisations", _organisations),
    "indicator spc": ("series", _spc),
}


@pytest.fixture
def wave(db: Any) -> Wave:
    partnership, _orgs = partnership_with_members()
    return make_wave(partnership)


@pytest.mark.django_db
@pytest.mark.parametrize("bad", list(BAD_CLASSES))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_refuses_every_bad_file_class_with_exit_2(
    command: str, bad: str, tmp_path: Path, wave: Wave
) -> None:
    kind, run = COMMANDS[command]
    name, contents, fragment = BAD_CLASSES[bad]
    path = tmp_path / name
    path.write_bytes(contents(kind))
    organisations, responses = Organisation.objects.count(), Response.objects.count()
    stderr = io.StringIO()
    with pytest.raises(CommandError) as raised:
        run(path, tmp_path=tmp_path, wave=wave, stderr=stderr)
    message = f"{raised.value}\n{stderr.getvalue()}"
    assert raised.value.returncode == 2
    assert fragment.lower() in message.lower(), message
    assert "Traceback" not in message
    assert (Organisation.objects.count(), Response.objects.count()) == (organisations, responses)


@pytest.mark.django_db
@pytest.mark.parametrize("ending", ["\r", "\r\n", "\n"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_reads_every_line_ending_alike(
    command: str, ending: str, tmp_path: Path, wave: Wave
) -> None:
    kind, run = COMMANDS[command]
    header, good = HEADERS[kind]
    path = tmp_path / "good.csv"
    path.write_bytes(text(kind, good, good.replace("A", "C", 1).replace("Alpha", "Gamma"), ending=ending))
    if command == "import-organisations":
        path.write_bytes(f"{header}{ending}Alpha Trust,nhs{ending}Beta Trust,nhs{ending}".encode())
    run(path, tmp_path=tmp_path, wave=wave, stderr=io.StringIO())


def test_the_bombs_are_small_on_disk(tmp_path: Path) -> None:
    assert gzip_bomb(tmp_path / "b.csv.gz", 300).stat().st_size < 400_000
    assert parquet_bomb(tmp_path / "b.parquet").stat().st_size < 100_000


# --- the real executable: exit code, no traceback, peak memory and time ------------------------------

WRAPPER = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print(repr((done.returncode, done.stderr, peak, time.perf_counter() - started)))
"""


def measured(*args: str) -> tuple[int, str, int, float]:
    out = subprocess.run(
        [sys.executable, "-c", WRAPPER, str(BIN), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    result: tuple[int, str, int, float] = ast.literal_eval(out.stdout)
    return result


@pytest.fixture(scope="module")
def baseline_mb(tmp_path_factory: pytest.TempPathFactory) -> int:
    folder = tmp_path_factory.mktemp("baseline")
    ties = folder / "ties.csv"
    ties.write_bytes(text("ties"))
    code, stderr, peak, _seconds = measured("network", "analyse", str(ties))
    assert code == 0, stderr
    return peak


@pytest.mark.parametrize(
    ("case", "fragment"),
    [
        ("gzip bomb named .csv", "gzip-compressed, not text"),
        ("gzip bomb named .csv.gz", "unpacks to more than 200 MB"),
        ("parquet bomb", "unpacks to more than 200 MB"),
        ("parquet rows bomb", "rows; at most 2,000,000"),
        ("alias bomb instrument", "anchors and aliases"),
        ("deep nesting instrument", "nested more than 20 deep"),
        ("UTF-16BE without BOM", "UTF-16 (big-endian)"),
        ("all NUL", "only NUL bytes"),
    ],
)
def test_bombs_and_bad_files_on_the_real_command_line(
    case: str, fragment: str, tmp_path: Path, baseline_mb: int
) -> None:
    responses = tmp_path / "responses.csv"
    responses.write_bytes(text("responses"))
    if case.startswith("gzip bomb"):
        args = ["network", "analyse", str(gzip_bomb(tmp_path / ("ties" + case.rsplit(" ", 1)[1]), 300))]
    elif case == "parquet bomb":
        args = ["network", "analyse", str(parquet_bomb(tmp_path / "ties.parquet"))]
    elif case == "parquet rows bomb":
        path = tmp_path / "rows.parquet"
        pl.DataFrame({"source": ["A"], "target": ["B"]}).select(
            pl.all().repeat_by(3_000_000).explode()
        ).write_parquet(path)
        assert path.stat().st_size < 200_000
        args = ["network", "analyse", str(path)]
    elif case.endswith("instrument"):
        path = tmp_path / "instrument.yaml"
        if case.startswith("alias"):
            lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
            lines += [
                f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)
            ]
            path.write_text("\n".join(lines) + "\n")
        else:
            path.write_text("key: " + "[" * 100_000 + "]" * 100_000)
        args = ["assess", "score", str(responses), "--instrument", str(path)]
    else:
        path = tmp_path / "responses-bad.csv"
        path.write_bytes(BAD_CLASSES[case][1]("responses"))
        args = ["assess", "score", str(path), "--instrument", "partnership-health"]
    code, stderr, peak, seconds = measured(*args)
    assert code == 2, stderr
    assert fragment in stderr
    assert "Traceback" not in stderr and stderr.startswith("CommandError: ")
    assert peak - baseline_mb < MEMORY_LIMIT_MB, f"{peak} MB at peak, {baseline_mb} MB for a good file"
    assert seconds < TIME_LIMIT_S


def test_a_limit_flag_raises_a_limit(tmp_path: Path) -> None:
    ties = tmp_path / "ties.csv"
    ties.write_bytes(text("ties", "A,B", "B,C", "C,A"))
    refused = subprocess.run(
        [str(BIN), "network", "analyse", str(ties), "--max-rows", "2"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 2 and "more than 2 rows" in refused.stderr
    allowed = subprocess.run(
        [str(BIN), "network", "analyse", str(ties), "--max-rows", "3"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert allowed.returncode == 0 and json.loads(allowed.stdout)["network"]["ties"] == 3


# --- the web ------------------------------------------------------------------------------------------

READER_SCRIPT = """
import resource, sys, time
from pathlib import Path
from django.core.files.uploadedfile import SimpleUploadedFile
from joinedup.networks.files import FileProblem, files_analyse, files_check, _read
path = Path(sys.argv[1])
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
started = time.perf_counter()
message = ""
try:
    files_check(SimpleUploadedFile(path.name, path.read_bytes()), None)
except FileProblem as problem:
    message = str(problem)
try:  # what the job would do with the same file, had it been queued
    _read({"ties": path.read_bytes()}, {"ties": path.name, "nodes": None})
except FileProblem as problem:
    message += "|" + str(problem)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(repr((message, peak - base, time.perf_counter() - started)))
"""


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("ties.csv", "gzip-compressed, not text"),
        ("ties.csv.gz", "unpacks to more than 200 MB"),
        ("ties.parquet", "unpacks to more than"),
    ],
)
def test_the_web_reader_refuses_bombs_within_bounded_memory(name: str, fragment: str, tmp_path: Path) -> None:
    path = parquet_bomb(tmp_path / name) if name.endswith(".parquet") else gzip_bomb(tmp_path / name, 300)
    out = subprocess.run(
        [sys.executable, "-c", READER_SCRIPT, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    message, above_baseline, seconds = ast.literal_eval(out.stdout)
    in_request, in_job = message.split("|")
    assert fragment in in_request and fragment in in_job
    assert above_baseline < MEMORY_LIMIT_MB
    assert seconds < TIME_LIMIT_S


@pytest.fixture
def signed_in(client: Any) -> Any:
    client.force_login(UserFactory())
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [b for b in BAD_CLASSES if b != "one column"])
def test_network_upload_refuses_each_bad_class_in_the_request(signed_in: Any, bad: str) -> None:
    name, contents, fragment = BAD_CLASSES[bad]
    started = time.perf_counter()
    page = signed_in.post("/networks/analyse/", {"ties": SimpleUploadedFile(name, contents("ties"))})
    assert page.status_code == 400
    assert fragment.lower() in page.content.decode().lower()
    assert time.perf_counter() - started < 10
    assert Job.objects.count() == 0


@pytest.mark.django_db
def test_network_upload_of_a_gzip_bomb_is_refused_at_once(signed_in: Any, tmp_path: Path) -> None:
    for name in ("ties.csv", "ties.csv.gz"):
        bomb = gzip_bomb(tmp_path / name, 300)
        page = signed_in.post("/networks/analyse/", {"ties": SimpleUploadedFile(name, bomb.read_bytes())})
        assert page.status_code == 400
        assert "gzip-compressed" in page.content.decode() or "unpacks to more than" in page.content.decode()
    assert Job.objects.count() == 0


@pytest.fixture
def coordinator(client: Any) -> tuple[Any, Any]:
    partnership, _orgs = partnership_with_members()
    user = UserFactory()
    grant(user, partnership, "coordinator")
    client.force_login(user)
    return client, partnership


@pytest.mark.django_db
@pytest.mark.parametrize("bad", list(BAD_CLASSES))
def test_organisation_upload_refuses_each_bad_class(coordinator: tuple[Any, Any], bad: str) -> None:
    client, _partnership = coordinator
    name, contents, fragment = BAD_CLASSES[bad]
    before = Organisation.objects.count()
    page = client.post(
        reverse("register:organisation_import"),
        {"file": SimpleUploadedFile(name, contents("organisations")), "fmt": "csv"},
    )
    assert page.status_code == (200 if bad == "empty" else 422)  # an empty upload is the form's own error
    assert fragment.lower() in page.content.decode().lower()
    assert Organisation.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (
            b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n',
            "anchors and aliases",
        ),
        (b"key: " + b"[" * 50_000 + b"]" * 50_000, "nested more than 20 deep"),
        (b"key: mine\x00\n", "NUL byte"),
        ("key: mine\n".encode("utf-16-be"), "UTF-16"),
    ],
)
def test_instrument_upload_refuses_bombs_quickly(
    coordinator: tuple[Any, Any], content: bytes, fragment: str
) -> None:
    client, partnership = coordinator
    started = time.perf_counter()
    page = client.post(
        reverse("surveys:wave_create", args=[partnership.pk]),
        {
            "title": "Own",
            "kind": "assessment",
            "instrument_key": "__upload__",
            "instrument_file": SimpleUploadedFile("mine.yaml", content),
            "anonymity": "confidential",
            "min_group_size": "5",
            "opens": "2026-03-01",
            "closes": "2026-04-01",
        },
    )
    assert page.status_code == 200
    assert fragment in page.content.decode()
    assert time.perf_counter() - started < 5
    assert not Wave.objects.filter(title="Own").exists()


@pytest.mark.django_db
def test_a_declared_gzip_file_is_read_as_its_text(tmp_path: Path) -> None:
    plain, packed = tmp_path / "ties.csv", tmp_path / "ties.csv.gz"
    plain.write_bytes(text("ties", "A,B", "B,C"))
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    outputs = []
    for path in (plain, packed):
        out = io.StringIO()
        call_command("network", "analyse", str(path), stdout=out)
        outputs.append(json.loads(out.getvalue()))
    assert outputs[0] == outputs[1] and outputs[0]["network"]["ties"] == 2


@pytest.mark.django_db
def test_a_large_upload_is_read_in_full_by_the_job_with_the_same_message(
    signed_in: Any, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from joinedup.core.choices import JobStatus
    from joinedup.networks import files

    monkeypatch.setattr(files, "CHECK_IN_REQUEST_BYTES", 0)  # every file counts as large
    bad = SimpleUploadedFile("ties.csv", b"source,target,level\nA,B,1\nB,C,9\n")
    with django_capture_on_commit_callbacks(execute=True):
        page = signed_in.post("/networks/analyse/", {"ties": bad})
    assert page.status_code == 302  # queued: the request ran only the quick checks
    job = Job.objects.get(kind=files.FILE_JOB)
    assert job.status == JobStatus.FAILED
    assert job.error == "ties.csv, line 3, column 'level': 9 is outside 0-5"
