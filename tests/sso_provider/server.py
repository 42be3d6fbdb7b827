"""Run the test OpenID Connect provider: `python -m tests.sso_provider.server [provider_setup options]` with
SSO_PROVIDER_DB set (a new SQLite file). Migrates, sets up, then serves on 127.0.0.1 on a free port, which it
prints as its first line of output ("port N"), until it is killed."""

from __future__ import annotations

import os
import sys

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.sso_provider.settings"


def main() -> None:
    import django
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("provider_setup", *sys.argv[1:])

    def announce(port: int) -> None:
        print(f"port {port}", flush=True)

    run("127.0.0.1", 0, get_wsgi_application(), threading=True, on_bind=announce)


if __name__ == "__main__":
    main()
