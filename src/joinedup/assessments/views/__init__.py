from joinedup.assessments.views.moderation import comments
from joinedup.assessments.views.respond import respond
from joinedup.assessments.views.results import results, results_csv, results_progress

__all__ = ["comments", "respond", "results", "results_csv", "results_progress"]
