"""The insight app's share of the JSON export (core.exchange_spec): the thresholds a partnership has tuned for
its warning flags. The flags themselves are not exported: they are worked out again after an import (its
audit event queues the recompute, as every write does)."""

from __future__ import annotations

from joinedup.core.exchange_spec import Table
from joinedup.insight.models import FlagThresholds

thresholds = Table(
    name="flag_thresholds", model=FlagThresholds, fields=("values", "updated_at"), refs={"updated_by": "user"}
)

TABLES = (thresholds,)
