"""Governance API (docs/api.md): `read` (meetings, attendance, decisions, actions, disputes) and `records` (the
writes the meeting, decision, action and dispute pages make, through the same services)."""

from ninja import Router

from joinedup.governance.api import read, records

router = Router()
router.add_router("/", read.router)
router.add_router("/", records.router)
