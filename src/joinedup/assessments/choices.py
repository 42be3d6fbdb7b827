"""Names the assessments app gives to things other code looks up."""

RESULTS_JOB = "assessments.results"  # the background job that rescores a wave (see jobs.py)
ASSESSMENT_KIND = "assessment"  # Wave.kind of an assessment wave (registered in hooks.py)
