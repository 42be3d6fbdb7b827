"""Agreement pages: `pages` (lists, agreement, diff, reviews) and `negotiation` (drafts, proposals, signing)."""
