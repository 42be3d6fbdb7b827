"""Set up, and report on, the database a worker-killing test uses (run in a subprocess, with its DATABASE_URL).

python -m tests.core.fault_scenario setup N   # migrate, make a wave, invite N people (queues the send job)
python -m tests.core.fault_scenario report    # JSON: the send job, the task rows, the invitations
"""

from __future__ import annotations

import datetime
import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.settings")


def setup(count: int) -> dict[str, str]:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from joinedup.networks.choices import RELATIONSHIP_KIND
    from joinedup.surveys import services
    from tests.factories import PartnershipFactory

    wave = services.wave_create(
        by=None,
        partnership=PartnershipFactory(),
        kind=RELATIONSHIP_KIND,
        title="Who works with whom",
        opens=datetime.date(2026, 1, 1),
        closes=datetime.date(2099, 1, 1),
    )
    services.wave_open(by=None, wave=wave)
    recipients = [services.Recipient(f"person{i:03d}@example.org") for i in range(count)]
    services.invitations_send(
        by=None,
        wave=wave,
        recipients=recipients,
        link_for=lambda token: f"https://joinedup.example/s/{token}/",
    )
    from joinedup.core.models import Job

    return {"job": str(Job.objects.get(kind="surveys.send").pk)}


def report() -> dict[str, object]:
    from django_tasks_db.models import DBTaskResult

    from joinedup.core.models import Job
    from joinedup.surveys.models import Invitation

    job = Job.objects.get(kind="surveys.send")
    return {
        "status": job.status,
        "result": job.result,
        "error": job.error,
        "attempts": job.attempts,
        # the send job's own tasks (the flags' recompute queued by the same writes has its own)
        "tasks": sorted(
            t.status for t in DBTaskResult.objects.all() if t.args_kwargs["args"] == [str(job.pk)]
        ),
        "invitations": {
            i.email: {"confirmed": i.send_confirmed, "begun": bool(i.send_key), "sent_at": bool(i.sent_at)}
            for i in Invitation.objects.all()
        },
    }


if __name__ == "__main__":
    import django

    django.setup()
    out = setup(int(sys.argv[2])) if sys.argv[1] == "setup" else report()
    sys.stdout.write(json.dumps(out) + "\n")
