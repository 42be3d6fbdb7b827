"""Names other code looks up: the job kinds of the insight app."""

RECOMPUTE_JOB = "insight.flags"  # recompute one partnership's flags (key "partnership:<id>")
SWEEP_JOB = "insight.sweep"  # the daily recompute of every partnership (dates move on: reviews fall due)
