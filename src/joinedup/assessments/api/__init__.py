"""Assessments API (docs/api.md): `results` (a wave's released figures) and `responses` (sending a respondent's
answers in with a survey link)."""

from ninja import Router

from joinedup.assessments.api import responses, results

router = Router()
router.add_router("/", results.router)
router.add_router("/", responses.router)
