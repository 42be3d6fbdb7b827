"""analysis.rating_disclosure against a plain-Python reading of the rule, on random ties."""

from __future__ import annotations

import json
import math
import random

import numpy as np
import pytest

from joinedup.analysis.rating_disclosure import MIN_RATERS, effective_minimum, release_received


def by_hand(n, target, score, minimum, closed):
    raters = [0] * n
    sums = [0.0] * n
    for t, s in zip(target, score, strict=True):
        if not math.isnan(s):
            raters[t] += 1
            sums[t] += s
    k = max(3, minimum)
    shown = [closed and raters[i] >= k for i in range(n)]
    received = [sums[i] / raters[i] if shown[i] else None for i in range(n)]
    count = sum(raters[i] for i in range(n) if shown[i])
    network = sum(sums[i] for i in range(n) if shown[i]) / count if count else None
    withheld = sum(1 for i in range(n) if raters[i] and not shown[i])
    return received, raters, network, withheld


@pytest.mark.parametrize("seed", range(30))
def test_matches_the_rule_read_by_hand(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 12)
    m = rng.randint(0, 40)
    target = [rng.randrange(n) for _ in range(m)]
    score = [math.nan if rng.random() < 0.2 else rng.choice((1.0, 2.0, 2.5, 4.0)) for _ in range(m)]
    minimum, closed = rng.choice((0, 3, 4, 6)), rng.random() < 0.8
    got = release_received(
        n, np.array(target, dtype=np.int64), np.array(score), minimum=minimum, closed=closed
    )
    assert got is not None
    received, raters, network, withheld = by_hand(n, target, score, minimum, closed)
    assert got.raters.tolist() == raters and got.withheld == withheld
    assert [None if math.isnan(v) else pytest.approx(v) for v in got.received] == received
    assert (got.network is None and network is None) or got.network == pytest.approx(network)


def test_never_below_three_and_nothing_while_open():
    assert effective_minimum(1) == effective_minimum(None) == MIN_RATERS == 3
    target, score = np.array([0, 0, 1, 1, 1]), np.array([1.0, 1.0, 2.0, 3.0, 4.0])
    released = release_received(2, target, score, minimum=1)
    assert released is not None and math.isnan(released.received[0]) and released.received[1] == 3.0
    assert released.network == 3.0 and released.withheld == 1
    still_open = release_received(2, target, score, closed=False)
    assert still_open is not None and np.isnan(still_open.received).all() and still_open.network is None
    assert release_received(2, target, None) is None


def test_plain_lists_are_read_as_the_arrays_they_stand_for():
    # A wave with organisations but no ties yet: nothing received, nothing withheld.
    nothing = release_received(3, [], [])
    assert nothing is not None and nothing.raters.tolist() == [0, 0, 0] and np.isnan(nothing.received).all()
    assert nothing.network is None and nothing.withheld == 0
    # Scores as a list, None for a tie whose trust was not rated: organisation 0 is rated by three (4, 2, 3),
    # organisation 1 by one.
    got = release_received(2, [0, 0, 0, 0, 1], [4.0, None, 2.0, 3.0, 5.0])
    assert got is not None and got.received[0] == 3.0 and math.isnan(got.received[1])
    assert got.network == 3.0 and got.withheld == 1
    # Rater counts are whole numbers, as the API writes them.
    assert json.dumps(got.raters.tolist()) == "[3, 1]"
