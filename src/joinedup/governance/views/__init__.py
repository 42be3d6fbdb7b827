"""The governance record's pages (meetings in `meetings`, decisions, actions and disputes in `records`)."""
