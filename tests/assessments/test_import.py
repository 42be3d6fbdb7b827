import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from joinedup.assessments.models import WaveResult
from joinedup.surveys.models import Response
from tests.assessments.helpers import make_wave, partnership_with_members

pytestmark = pytest.mark.django_db(transaction=True)  # results are recomputed on commit


def item_keys(wave):
    return [item["key"] for d in wave.instrument["dimensions"] for item in d["items"]]


def write(tmp_path, header, rows):
    path = tmp_path / "answers.csv"
    path.write_text("\n".join([",".join(header), *(",".join(map(str, r)) for r in rows)]) + "\n")
    return path


def test_import_loads_every_row_and_rescores(tmp_path):
    partnership, orgs = partnership_with_members()
    wave = make_wave(partnership, min_group_size=3)
    keys = item_keys(wave)
    rows = [
        ["Mind Northshire", "peer_worker", "Front-line practitioner", *(["4"] * len(keys))],
        ["northshire trust", "Mental health nurse", "manager", *(["dk"] + ["2"] * (len(keys) - 1))],
        ["", "", "", *([""] * len(keys))],
    ]
    path = write(tmp_path, ["organisation", "profession", "role_level", *keys], rows)
    call_command("assess", "import", str(wave.pk), str(path))
    stored = list(Response.objects.filter(wave=wave).order_by("pk"))
    assert len(stored) == 3 and all(r.submitted_on for r in stored)
    assert stored[0].organisation == orgs["charity"] and stored[0].sector == "voluntary"
    assert stored[1].profession == "mental_health_nurse" and stored[1].role_level == "manager"
    # "dk" is stored as the answer don't know (as the response pages store it); a blank as no answer.
    assert stored[1].answers[keys[0]] == "dk" and stored[1].answers[keys[1]] == 2
    assert stored[2].organisation is None and stored[2].answers == {}
    result = WaveResult.objects.get(wave=wave)
    assert result.respondents == 3 and result.release == 1  # released at once: k = 3 answers are in
    # Two people answered each statement (the blank is not counted), fewer than k: no statement is shown.
    assert keys[0] not in result.items and keys[1] not in result.items


def test_import_keeps_dont_know_apart_from_blank_however_it_is_written(tmp_path):
    partnership, _orgs = partnership_with_members()
    wave = make_wave(partnership, min_group_size=3)
    keys = item_keys(wave)
    rows = [[" DK ", "", "  ", "3", " 5", *(["1"] * (len(keys) - 5))]] * 3  # three people: k = 3
    path = tmp_path / "answers.csv"
    path.write_text(",".join(keys) + "\n" + "\n".join(",".join(r) for r in rows) + "\n")
    call_command("assess", "import", str(wave.pk), str(path))
    answers = Response.objects.filter(wave=wave).first().answers
    assert answers[keys[0]] == "dk" and keys[1] not in answers and keys[2] not in answers
    assert answers[keys[3]] == 3 and answers[keys[4]] == 5
    items = WaveResult.objects.get(wave=wave).items
    assert items[keys[0]] == {"dk": 3} and keys[1] not in items  # nobody answered it: nothing to show


def test_dk_is_refused_when_the_instrument_has_no_dont_know(tmp_path):
    partnership, _orgs = partnership_with_members()
    wave = make_wave(partnership)
    wave.instrument["scale"]["dont_know"] = False
    wave.save()
    keys = item_keys(wave)
    path = write(tmp_path, keys, [["3"] * len(keys), ["3", "dk", *(["3"] * (len(keys) - 2))]])
    with pytest.raises(CommandError, match=f"line 3, column {keys[1]}: .* has no don't know answer") as error:
        call_command("assess", "import", str(wave.pk), str(path))
    assert error.value.returncode == 2
    assert not Response.objects.filter(wave=wave).exists()


def test_import_is_all_or_nothing_and_names_row_and_column(tmp_path):
    partnership, _orgs = partnership_with_members()
    wave = make_wave(partnership)
    keys = item_keys(wave)
    good = ["Mind Northshire", *(["3"] * len(keys))]
    off_scale = ["Mind Northshire", "7", *(["3"] * (len(keys) - 1))]
    stranger = ["Acme Ltd", *(["3"] * len(keys))]
    path = write(tmp_path, ["organisation", *keys], [good, off_scale, good])
    with pytest.raises(CommandError) as error:
        call_command("assess", "import", str(wave.pk), str(path))
    assert error.value.returncode == 2 and f"line 3, column {keys[0]}: '7'" in str(error.value)
    path = write(tmp_path, ["organisation", *keys], [good, good, stranger])
    with pytest.raises(CommandError, match="line 4, column organisation: 'Acme Ltd' is not a member"):
        call_command("assess", "import", str(wave.pk), str(path))
    path = write(tmp_path, ["team", *keys], [good])
    with pytest.raises(CommandError, match="line 1, column team: unknown column"):
        call_command("assess", "import", str(wave.pk), str(path))
    assert not Response.objects.filter(wave=wave).exists()


def test_import_into_unknown_wave_exits_2(tmp_path):
    with pytest.raises(CommandError, match="no assessment wave 999") as error:
        call_command("assess", "import", "999", str(tmp_path / "none.csv"))
    assert error.value.returncode == 2


def test_a_row_with_a_misspelt_key_raises_and_imports_nothing():
    from joinedup.assessments.services import responses_import
    from joinedup.core.models import AuditEvent

    partnership, orgs = partnership_with_members()
    wave = make_wave(partnership)
    answers = dict.fromkeys(item_keys(wave), 3)
    rows = [{"answers": answers, "organisation": orgs["trust"]}, {"answers": answers, "proffesion": "gp"}]
    with pytest.raises(TypeError, match="'proffesion'"):
        responses_import(by=None, wave=wave, rows=rows)
    assert not Response.objects.filter(wave=wave).exists()
    assert not AuditEvent.objects.filter(verb="wave.responses_imported").exists()


def test_a_header_only_file_imports_nothing_queues_nothing_and_exits_2(tmp_path):
    from joinedup.core.models import AuditEvent, Job

    partnership, _orgs = partnership_with_members()
    wave = make_wave(partnership, min_group_size=3)
    path = write(tmp_path, ["organisation", *item_keys(wave)], [])
    events, jobs = AuditEvent.objects.count(), Job.objects.count()
    with pytest.raises(CommandError, match="Nothing was imported") as raised:
        call_command("assess", "import", str(wave.pk), str(path))
    assert raised.value.returncode == 2
    assert not Response.objects.filter(wave=wave).exists()
    assert (AuditEvent.objects.count(), Job.objects.count()) == (events, jobs)  # no audit, no rescore queued


def test_the_import_service_refuses_no_rows():
    from django.core.exceptions import ValidationError

    from joinedup.assessments.services import responses_import
    from joinedup.core.models import AuditEvent

    partnership, _orgs = partnership_with_members()
    wave = make_wave(partnership, min_group_size=3)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="no answers"):
        responses_import(by=None, wave=wave, rows=[])
    assert AuditEvent.objects.count() == events
