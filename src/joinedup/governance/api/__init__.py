"""Governance API (docs/api.md): `read` (meetings, attendance, decisions, actions, disputes) and `records` (the
writes the meeting, decision, action and dispute pages make, through the same services). Both add their
operations to `read.router`: a path with a read and a write (GET and POST on /actions) must be one router's."""

from joinedup.governance.api import read, records

router = read.router
__all__ = ["records", "router"]
