"""Make the test provider ready: its RSA signing key, one confidential client for JoinedUp, and its users.
Running it again adds redirect URIs and users and changes nothing else."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from oidc_provider.models import Client, ResponseType, RSAKey

from tests.sso_provider.claims import UNVERIFIED_GROUP


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--client-secret", required=True)
        parser.add_argument("--redirect-uri", action="append", default=[])
        parser.add_argument(
            "--user", action="append", default=[], help="EMAIL:PASSWORD:FULL NAME[:unverified]"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not RSAKey.objects.exists():
            call_command("creatersakey", stdout=self.stdout)
        client, _ = Client.objects.get_or_create(
            client_id=options["client_id"],
            defaults={
                "name": "JoinedUp",
                "client_type": "confidential",
                "client_secret": options["client_secret"],
                "jwt_alg": "RS256",
                "require_consent": True,
                "reuse_consent": False,
            },
        )
        client.response_types.add(ResponseType.objects.get(value="code"))
        client.redirect_uris = list(dict.fromkeys([*client.redirect_uris, *options["redirect_uri"]]))
        # where JoinedUp asks to come back after signing out at the provider: its sign-in page, same host
        back = [uri.replace("/accounts/sso/callback/", "/accounts/login/") for uri in options["redirect_uri"]]
        client.post_logout_redirect_uris = list(dict.fromkeys([*client.post_logout_redirect_uris, *back]))
        client.save()
        unverified, _ = Group.objects.get_or_create(name=UNVERIFIED_GROUP)
        for spec in options["user"]:
            email, password, name, *flags = spec.split(":")
            first, _, last = name.partition(" ")
            user, created = User.objects.get_or_create(
                username=email, defaults={"email": email, "first_name": first, "last_name": last}
            )
            if created:
                user.set_password(password)
                user.save()
            if "unverified" in flags:
                user.groups.add(unverified)
