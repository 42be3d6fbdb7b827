"""The pack's sections of survey, indicator and feedback figures. Each takes its numbers from what the pages
show: the health page's picture, and for the charts and breakdowns the results pages' own selectors and chart
specs (assessments: the latest *released* results, small groups hidden; outcomes: the SPC reading; voice: the
released months only). A figure those pages hide is a HIDDEN cell here, never a number."""

from __future__ import annotations

from typing import Any

from joinedup.analysis.network_map import network_map_spec
from joinedup.assessments import charts as assessment_charts
from joinedup.assessments.choices import ASSESSMENT_KIND
from joinedup.assessments.models import WaveResult
from joinedup.assessments.selectors import report_from_dict
from joinedup.assessments.services import wave_instrument
from joinedup.networks import selectors as network_selectors
from joinedup.outcomes import selectors as outcome_selectors
from joinedup.outcomes.charts import spc_chart
from joinedup.reports.pack import HIDDEN, Cell, Chart, Section, Table
from joinedup.voice import charts as voice_charts
from joinedup.voice import selectors as voice_selectors


def latest_released_result(*, partnership: Any) -> WaveResult | None:
    """The latest assessment results released (the one the health page shows): never a wave not yet released."""
    return (
        WaveResult.objects.filter(wave__partnership=partnership, wave__kind=ASSESSMENT_KIND, release__gte=1)
        .select_related("wave")
        .order_by("-wave__opens", "-wave__pk")
        .first()
    )


def assessment_section(health: dict[str, Any], partnership: Any) -> Section:
    a = health["assessment"]
    section = Section("assessment", "Latest assessment")
    if not a.get("wave"):
        section.paragraphs.append("No assessment has released results yet.")
        return section
    scale = a.get("scale", {})
    section.paragraphs.append(
        f"{a['wave']}: {a['respondents']} people's answers are in the results released so far"
        f"{' (the final results)' if a.get('final') else ''}. Scores run from {scale.get('min', 1)} (lowest) "
        f"to {scale.get('max', 5)} (highest)."
    )
    section.tables.append(
        Table(
            "Assessment",
            "Mean score on each dimension",
            "The average score everyone who answered gave each dimension, and what that score reads as.",
            ["Dimension", "Mean score", "Reading"],
            [[d["title"], d["mean"], d["band"] or None] for d in a.get("dimensions", [])],
        )
    )
    gaps = Table(
        "Gaps",
        "Gaps to discuss",
        "Where two groups scored a dimension differently enough to talk about, by how many points.",
        ["Dimension", "Scored higher by", "Scored lower by", "Difference (points)"],
        [[g.title, g.high, g.low, g.difference] for g in health["gaps"]],
    )
    section.tables.append(gaps)
    result = latest_released_result(partnership=partnership)
    if result is not None:
        _breakdown(section, result)
    return section


def _breakdown(section: Section, result: WaveResult) -> None:
    """Each organisation's mean on each dimension, hidden groups as HIDDEN, with the page's profile chart."""
    instrument = wave_instrument(result.wave)
    report = report_from_dict(result.report)
    groups = report.groups.get("organisation", [])
    if not groups:
        return
    dimensions = list(instrument.dimensions)
    table = Table(
        "By organisation",
        "Mean score on each dimension, by organisation",
        f"Each organisation's average score; a group with fewer than {result.wave.min_group_size} people, "
        "or one that would give a hidden group away, is hidden.",
        ["Organisation", "People", *[d.title for d in dimensions]],
    )
    for g in groups:
        cells_of = {d.key: d for d in g.dimensions}
        cells: list[Cell] = [assessment_charts.group_name(g.group), HIDDEN if g.suppressed else g.n]
        for d in dimensions:
            cell = cells_of.get(d.key)
            if g.suppressed or cell is None or cell.n is None:  # as the results page: hidden, never a number
                cells.append(HIDDEN)
            else:
                cells.append(round(cell.mean, 2) if cell.mean is not None else None)
        table.rows.append(cells)
    section.tables.append(table)
    if any(not g.suppressed for g in groups):
        section.charts.append(
            Chart(
                "Profile by organisation",
                "Bars of each shown organisation's mean score on each dimension; the table above has the figures.",
                assessment_charts.profile_chart(instrument, groups, "Organisation"),
            )
        )


def _network_map(section: Section, partnership: Any, title: str) -> None:
    """The network page's map of the latest relationship survey (drawn here for a wave small enough for the page
    to analyse while it waits; a larger one is left to its page)."""
    wave = next(
        (
            w
            for w in reversed(network_selectors.relationship_waves(partnership=partnership))
            if w.title == title
        ),
        None,
    )
    if wave is None:
        return
    if network_selectors.wave_size(wave=wave) > network_selectors.LARGE_WAVE:
        section.paragraphs.append("The map of so many organisations is on the survey's network page.")
        return
    network = network_selectors.wave_network(wave=wave)
    rows = [{**row, "sector": row["sector_label"]} for row in network.organisation_rows_in_order()]
    spec = network_map_spec(rows, network.source.tolist(), network.target.tolist(), size_by="degree")
    section.charts.append(
        Chart(
            "Map of the working relationships",
            "Each organisation as a point, sized by how many others it works with, and each working relationship "
            "as a line; the members at the edge are listed above.",
            spec,
        )
    )


def network_section(health: dict[str, Any], partnership: Any) -> Section:
    n = health["network"]
    section = Section("network", "Working relationships")
    if not n.get("wave"):
        section.paragraphs.append("No relationship survey has been run.")
        return section
    words = (
        f"{n['wave']}: {n['organisations']} organisations, linked by {n['ties']} working relationships"
        + (f"; {n['response_rate']}% of the organisations asked answered" if n.get("response_rate") else "")
        + "."
    )
    if n.get("mean_trust") is not None:
        words += f" Trust between them averages {n['mean_trust']} on a scale of 1 to 4."
    section.paragraphs.append(words)
    section.tables.append(
        Table(
            "At the edge",
            "Members at the edge of the relationships",
            "Members named by at most one other organisation, or by none (isolated).",
            ["Member", "Position"],
            [[e["name"], e["position"]] for e in health["edge"]],
        )
    )
    _network_map(section, partnership, n["wave"])
    return section


def indicators_section(health: dict[str, Any], partnership: Any) -> Section:
    section = Section(
        "indicators",
        "Indicators: variation and assurance",
        paragraphs=[
            "Each indicator's latest figure, whether it is varying by more than chance (variation), and whether "
            'it will meet its target (assurance), read the NHS "Making Data Count" way.'
        ],
    )
    table = Table(
        "Indicators",
        "Indicators",
        "Each indicator's latest figure and period, its variation and its assurance against the target.",
        ["Indicator", "Owner", "Latest", "Period", "Variation", "Against the target"],
    )
    for i in health["indicators"]:
        table.rows.append(
            [
                i["title"],
                i["owner"],
                i["latest"] if i["latest"] is None else round(i["latest"], 2),
                i["latest_label"] or None,
                i["variation"] or "Not enough figures",
                i["assurance"] or "No target",
            ]
        )
    section.tables.append(table)
    points = Table(
        "Indicator figures",
        "Every figure of each indicator",
        "Each period's figure with the mean and process limits it is read against.",
        ["Indicator", "Period", "Figure", "Mean", "Lower limit", "Upper limit", "Target"],
    )
    for indicator, read in outcome_selectors.indicators_read(partnership=partnership):
        version = outcome_selectors.current_version(indicator)
        for p in read.points:
            points.rows.append(
                [indicator.title, p.label, p.value, round(p.mean, 2), _r(p.lpl), _r(p.upl), p.trajectory]
            )
        if read.points and version is not None:
            section.charts.append(
                Chart(
                    indicator.title,
                    f"{indicator.title}: each period's figure against its mean and process limits "
                    "(the table of every figure has them).",
                    spc_chart(version.unit, read),
                )
            )
    section.tables.append(points)
    return section


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def feedback_section(health: dict[str, Any], partnership: Any) -> Section:
    v = health["voice"]
    section = Section("feedback", 'Feedback and "you said, we did"')
    if v.get("answers") is not None:
        words = f"{v['answers']} people gave feedback {v['period']}"
        if v.get("good_share") is not None:
            words += f"; {v['good_share']}% of them said the service was very good or good"
        section.paragraphs.append(words + ".")
    released = voice_selectors.results(partnership=partnership)
    months = Table(
        "Feedback by month",
        "Feedback by month",
        "Each complete month: how many answered and the share who said very good or good.",
        ["Month", "Answers", "Very good or good (%)"],
        [
            [f.label, f.answers if f.shown else HIDDEN, f.share if f.shown else HIDDEN]
            for f in released.by_month
        ],
    )
    section.tables.append(months)
    if any(f.shown and f.share is not None for f in released.by_month):
        section.charts.append(
            Chart(
                "Very good or good, by month",
                "Bars of the share who said very good or good in each month shown; hidden months have no bar.",
                voice_charts.monthly_spec(released.by_month),
            )
        )
    log = Table(
        "You said, we did",
        '"You said, we did"',
        "What people said in their feedback and what the partnership did about it, newest first.",
        ["Recorded", "Theme", "You said", "We did"],
        [
            [e.entry.recorded_on, e.entry.theme.name, e.entry.you_said, e.entry.we_did]
            for e in voice_selectors.log_for(partnership=partnership)
        ],
    )
    section.tables.append(log)
    return section
