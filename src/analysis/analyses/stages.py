"""How long a phase must have run before the model and the reports trust what it shows.

Apart from ``projection`` so that the reports can read these rules without importing the model
(and statsmodels with it): the brief and the Word report are rendered in the runner's own process.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Weeks:
    """How long a phase must have run (weeks) before the model and the report trust what it shows."""

    start_after: int = 4  # before its start-up effect is estimated, and before a chance is given
    early_warning: int = 8  # before the report stops warning that the projection may run high or low
    rising_after: int = 9  # before a pull that grows with time is extrapolated


WEEKS = Weeks()


def chance_supported(weeks_in_phase: float) -> bool:
    """Whether a chance of reaching the target is worth printing: not before the current phase has run
    ``WEEKS.start_after`` weeks. In its first weeks a campaign that has not yet got going is not in the
    data, and the projection is flat and sure of it: on the out-of-family backtest, probabilities below
    5% or above 95% given 2 weeks into a phase were wrong 18 times in 182 (campaigns that started
    late), and no floor up to 30% brought that under 1 in 20; from 5 weeks in, 2 times in 1,196
    (``benchmarks/results/projection_backtest_oof.md``, "AFTER6: chances in a phase's first weeks").
    The probability stays in the tables; the reports say it is too early."""
    return bool(weeks_in_phase >= WEEKS.start_after)
