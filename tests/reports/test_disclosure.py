"""An attacker holding a pack (PDF text, HTML, XLSX) cannot read a small group's assessment scores: an
organisation with 2 answers in a wave whose smallest group is 5 is hidden in every format, and none of its real
means (worked out here from its answers, as the attacker wants them) appears anywhere in the files."""

from __future__ import annotations

import io
import re
from statistics import mean

import openpyxl
import pytest
from pypdf import PdfReader

from joinedup.reports import render, spreadsheet
from joinedup.reports.pack import SYMBOL
from joinedup.reports.selectors import pack_build
from joinedup.surveys.models import Response
from tests.assessments.helpers import add_answers, make_wave
from tests.conftest import grant
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_small_groups_scores_are_in_no_format_of_the_pack() -> None:
    partnership = PartnershipFactory()
    big, middle, small = (OrganisationFactory(name=n) for n in ("Big Trust", "Middle Council", "Tiny Forum"))
    for org in (big, middle, small):
        MembershipFactory(partnership=partnership, organisation=org)
    wave = make_wave(partnership, min_group_size=5)
    add_answers(wave, big, 12, level=4, compute=False)
    add_answers(wave, middle, 7, level=3, seed=2, compute=False)
    add_answers(wave, small, 2, level=1, seed=3)
    coordinator = UserFactory()
    grant(coordinator, partnership, "coordinator")

    pack = pack_build(user=coordinator, partnership=partnership)
    table = next(t for t in pack.tables if t.key == "By organisation")
    row = next(r for r in table.rows if r[0] == "Tiny Forum")
    assert all(cell is not None and repr(cell) == "HIDDEN" for cell in row[1:])

    # what the attacker is after: the small group's real mean on each dimension, as the pack would print it
    answers = list(Response.objects.filter(wave=wave, organisation=small).values_list("answers", flat=True))
    secrets = set()
    for dimension in wave.instrument["dimensions"]:
        keys = [item["key"] for item in dimension["items"]]
        value = round(mean(mean(a[k] for k in keys) for a in answers), 2)
        secrets |= {f"{value:g}", f"{value:.2f}"}
    assert not any(s.startswith(("3", "4")) for s in secrets)  # well away from the other groups' scores

    book = openpyxl.load_workbook(io.BytesIO(spreadsheet.pack_xlsx(pack)))
    sheet = list(book["By organisation"].iter_rows(values_only=True))
    assert next(r for r in sheet if r[0] == "Tiny Forum")[1:] == (SYMBOL,) * (len(table.columns) - 1)
    cells = {
        f"{c:g}"
        for s in book.worksheets
        for r in s.iter_rows(values_only=True)
        for c in r
        if isinstance(c, float | int)
    }
    assert not secrets & cells

    html = render.pack_html(pack)
    words = set(
        re.findall(r"\d+(?:\.\d+)?", re.sub(r"<style>.*?</style>|<[^>]+>|data:[^\"]+", " ", html, flags=re.S))
    )
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(render.pack_pdf(pack))).pages)
    assert not secrets & words, secrets & words
    assert not secrets & set(re.findall(r"\d+(?:\.\d+)?", pdf))
