"""Names the assessments app gives to things other code looks up."""

RESULTS_JOB = "assessments.results"  # the background job that rescores a wave (see jobs.py)
