"""Agreements API (docs/api.md): `read` (agreements and their versions) and `negotiation` (comments, positions
and signing by hash)."""

from ninja import Router

from joinedup.agreements.api import negotiation, read

router = Router()
router.add_router("/", read.router)
router.add_router("/", negotiation.router)
