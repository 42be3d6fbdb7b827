"""Writes for agreements. Keyword-only, the acting user as `by=`, one transaction, an audit event each.

Split by concept: `negotiation` (agreements, drafts, proposals, comments, positions), `signing`, `reviews`.

Only proposal_revise opens a durable transaction. The others run inside the demo builder's one transaction,
and draft_start and proposal_withdraw inside other services (review_record, proposal_revise) too.
"""

from joinedup.agreements.services.negotiation import (
    DraftConflict,
    DraftFields,
    agreement_create,
    comment_add,
    draft_propose,
    draft_save,
    draft_start,
    position_record,
    proposal_revise,
    proposal_withdraw,
)
from joinedup.agreements.services.reviews import review_record
from joinedup.agreements.services.signing import STALE_HASH_MESSAGE, version_sign

__all__ = [
    "STALE_HASH_MESSAGE",
    "DraftConflict",
    "DraftFields",
    "agreement_create",
    "comment_add",
    "draft_propose",
    "draft_save",
    "draft_start",
    "position_record",
    "proposal_revise",
    "proposal_withdraw",
    "review_record",
    "version_sign",
]
