"""Which ratings of a relationship survey may be shown (DESIGN.md §6): a pure rule on numpy arrays.

Who names whom is shown to the partnership; what one organisation thinks of another is not. So:

- a tie's own trust and value ratings are never released (only the organisation that gave them sees them,
  on its own answer pages);
- an organisation's trust (value) *received* is released only when at least `minimum` organisations
  (never fewer than MIN_RATERS) rated it;
- ratings are released only once the survey has closed, so comparing the figures before and after one more
  organisation answers cannot isolate that organisation's ratings;
- the figures are always computed from *all* of the wave's ties, never from a filtered set: a filter
  (kind of exchange, minimum frequency) chooses which ties are drawn and counted, but if ratings received were
  recomputed over the kept ties, a filter that leaves an organisation named by one other would show that one
  organisation's rating, and two filtered views could be subtracted from each other;
- the network's mean trust (value) is the mean over the ties to organisations whose figure is released, so it
  says nothing that the released figures and their rater counts do not already say.

The caller passes merged ties (one per ordered pair, so one per rating organisation: see
`analysis.network.merge_ties`) and their mean trust or value (`analysis.network.tie_means`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

MIN_RATERS = 3

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class ReleasedRatings:
    """What may be shown of one measure (trust or value) of a wave."""

    received: FloatArray  # per organisation; NaN where not released (or nothing was received)
    raters: IntArray  # per organisation: how many organisations rated it (always shown: it is who-names-whom)
    network: float | None  # mean over the ties to organisations whose figure is released
    withheld: int  # organisations rated by someone whose figure is not released


def effective_minimum(minimum: int | None) -> int:
    """The wave's minimum number of raters, never below MIN_RATERS."""
    return max(MIN_RATERS, int(minimum or 0))


def release_received(
    n: int,
    target: IntArray,
    tie_score: FloatArray | None,
    *,
    minimum: int = MIN_RATERS,
    closed: bool = True,
) -> ReleasedRatings | None:
    """The released trust or value received of `n` organisations, from all merged ties' scores (`target`
    indexes the organisation rated, `tie_score` is NaN where the tie was not rated). None when the wave has no
    such ratings at all (`tie_score` is None). Nothing is released while the wave is not `closed`."""
    if tie_score is None:
        return None
    target = np.asarray(target, dtype=np.int64)
    score = np.asarray(tie_score, dtype=np.float64)
    rated = ~np.isnan(score)
    raters = np.bincount(target[rated], minlength=n).astype(np.int64)
    sums = np.bincount(target[rated], weights=score[rated], minlength=n)
    shown = (raters >= effective_minimum(minimum)) if closed else np.zeros(n, dtype=bool)
    received = np.full(n, np.nan)
    np.divide(sums, raters, out=received, where=shown)
    count = int(raters[shown].sum())
    network = float(sums[shown].sum() / count) if count else None
    return ReleasedRatings(
        received=received,
        raters=raters,
        network=network,
        withheld=int(((raters > 0) & ~shown).sum()),
    )
