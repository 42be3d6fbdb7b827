"""Register API (docs/api.md): `read` (partnerships, organisations, people) and `members` (memberships, roles,
invitations and the timeline, with the writes the partnership pages allow)."""

from ninja import Router

from joinedup.register.api import members, read

router = Router()
router.add_router("/", read.router)
router.add_router("/", members.router)
