"""Small statistics on summary figures (n, mean, SD): t confidence intervals, Welch's t-test, rwg(J).

Working from summaries rather than raw rows lets the scoring aggregate once in polars and then do these
few calculations per dimension and group. Welch's test from (n, mean, SD) gives exactly the p-value of
`scipy.stats.ttest_ind(a, b, equal_var=False)` on the raw scores (the tests check this). scipy.special
is used instead of scipy.stats to keep the command-line start-up lean.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.special import stdtr, stdtrit

CONFIDENCE = 0.95


def t_quantile(probability: float, df: float) -> float:
    return float(stdtrit(df, probability))


def mean_ci(n: int, mean: float | None, sd: float | None) -> tuple[float | None, float | None]:
    """Two-sided 95% confidence interval of a mean, t distribution with n-1 degrees of freedom."""
    if mean is None or sd is None or n < 2 or math.isnan(sd):
        return None, None
    half = t_quantile(0.5 + CONFIDENCE / 2, n - 1) * sd / math.sqrt(n)
    return mean - half, mean + half


def null_variance(points: int) -> float:
    """Variance of the uniform ("no agreement") distribution over A scale points: (A^2 - 1) / 12."""
    return (points * points - 1) / 12


def rwg_j(mean_item_variance: float | None, items: int, points: int) -> float | None:
    """Within-group agreement rwg(J) (James, Demaree & Wolf 1984).

    rwg(J) = J(1 - s2/sE) / (J(1 - s2/sE) + s2/sE), where s2 is the mean of the observed item variances,
    sE the uniform null variance and J the number of items. Set to 0 when s2 exceeds the null variance
    (more disagreement than random answering), as is usual; None when it cannot be computed.
    """
    if mean_item_variance is None or math.isnan(mean_item_variance) or items < 1:
        return None
    ratio = mean_item_variance / null_variance(points)
    if ratio >= 1:
        return 0.0
    agreement = items * (1 - ratio)
    return agreement / (agreement + ratio)


@dataclass(frozen=True)
class Welch:
    difference: float  # mean a - mean b
    se: float
    df: float
    t: float
    p_value: float

    def ci(self) -> tuple[float, float]:
        half = t_quantile(0.5 + CONFIDENCE / 2, self.df) * self.se
        return self.difference - half, self.difference + half


def welch(n_a: int, mean_a: float, sd_a: float, n_b: int, mean_b: float, sd_b: float) -> Welch | None:
    """Welch's unequal-variances t-test from summary figures; None when it is undefined
    (fewer than two in a group, or no variation in either group)."""
    if n_a < 2 or n_b < 2:
        return None
    va, vb = sd_a * sd_a / n_a, sd_b * sd_b / n_b
    se2 = va + vb
    if not se2 > 0:
        return None
    df = se2 * se2 / (va * va / (n_a - 1) + vb * vb / (n_b - 1))
    se = math.sqrt(se2)
    t = (mean_a - mean_b) / se
    p = float(2 * stdtr(df, -abs(t)))
    return Welch(difference=mean_a - mean_b, se=se, df=df, t=t, p_value=min(p, 1.0))
