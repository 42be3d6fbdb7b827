"""What the test provider says about its users: members of the group "unverified" have an e-mail address the
provider has not confirmed (`email_verified: false`), as a provider that lets people type their own would."""

from typing import Any

UNVERIFIED_GROUP = "unverified"


def userinfo(claims: dict[str, Any], user: Any) -> dict[str, Any]:
    claims["name"] = user.get_full_name()
    claims["given_name"] = user.first_name
    claims["family_name"] = user.last_name
    claims["email"] = user.email
    claims["email_verified"] = not user.groups.filter(name=UNVERIFIED_GROUP).exists()
    return claims
