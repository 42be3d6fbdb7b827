"""Settings come from the environment; production refuses to start without a real secret."""

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SETTINGS = REPO / "src" / "joinedup" / "settings.py"


def _run_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "JOINEDUP_DEMO", "SECRET_KEY"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import joinedup.settings as s; print(s.DEBUG, len(s.SECRET_KEY))"],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _run_settings({"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_starts_with_a_real_secret_key():
    result = _run_settings({"DEBUG": "false", "SECRET_KEY": "x" * 60})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "60"]


def test_demo_mode_has_a_safe_default():
    result = _run_settings({"JOINEDUP_DEMO": "true"})
    assert result.returncode == 0, result.stderr


def test_env_example_lists_every_variable_the_settings_read():
    source = SETTINGS.read_text()
    read = set(re.findall(r'(?:os\.environ\.get|env_bool|env_list)\(\s*"([A-Z_]+)"', source))
    documented = {
        line.split("=", 1)[0].strip()
        for line in (REPO / ".env.example").read_text().splitlines()
        if "=" in line and not line.lstrip().startswith("#")
    }
    assert read, "the pattern found no variables: the test itself is broken"
    assert read - documented == set(), "add these to .env.example"
    assert documented - read == set(), "these in .env.example are not read by settings.py"


def test_evaluators_file_commands_and_help_need_no_secret(tmp_path):
    ties = tmp_path / "ties.csv"
    ties.write_text("source,target\na,b\nb,a\n")
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "JOINEDUP_DEMO", "SECRET_KEY", "DATABASE_URL"}
    }
    joinedup = str(Path(sys.executable).parent / "joinedup")
    for args in (["--help"], ["network", "analyse", str(ties), "--format", "json"]):
        result = subprocess.run([joinedup, *args], env=clean, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert "not properly configured" not in result.stdout + result.stderr
    # --help lists the project's own commands beside Django's
    listing = subprocess.run(
        [joinedup, "--help"], env=clean, capture_output=True, text=True, timeout=120
    ).stdout
    for command in ("demo", "import-organisations", "network", "assess", "migrate", "createsuperuser"):
        assert f"    {command}\n" in listing
    # ...but a command that serves or writes still refuses
    for args in (["migrate"], ["assess", "import", "1", str(ties)]):
        result = subprocess.run([joinedup, *args], env=clean, capture_output=True, text=True, timeout=120)
        assert result.returncode != 0 and "SECRET_KEY is not set" in result.stderr


def test_any_process_pointed_at_a_demo_database_gets_the_demos_email_and_static_settings(tmp_path):
    """`DATABASE_URL=sqlite:///DIR/joinedup.sqlite3 joinedup db_worker` (the documented command) must e-mail into
    DIR/emails as the demo's web server does, not print the links on its own output."""
    (tmp_path / ".joinedup-demo").touch()
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DEBUG", "JOINEDUP_DEMO", "SECRET_KEY", "EMAIL_BACKEND", "EMAIL_FILE_PATH", "STATIC_ROOT"}
    }
    clean["DATABASE_URL"] = f"sqlite:///{tmp_path / 'joinedup.sqlite3'}"
    code = "import joinedup.settings as s; print(s.DEMO, s.EMAIL_BACKEND, s.EMAIL_FILE_PATH, s.STATIC_ROOT)"
    result = subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "django.core.mail.backends.filebased.EmailBackend",
        str(tmp_path.resolve() / "emails"),
        str(tmp_path.resolve() / "static"),
    ]
    # The same database without the demo's marker is not a demo: nothing is chosen for it.
    (tmp_path / ".joinedup-demo").unlink()
    clean["SECRET_KEY"] = "x" * 60
    result = subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split()[:2] == ["False", "django.core.mail.backends.smtp.EmailBackend"]
