"""A pack as a web page (one HTML file that stands alone: its styles and charts inside it) and as a PDF made from
that page by WeasyPrint: A4, a table of contents with page numbers, "Page N of M" on every page, charts as vector
images (Vega-Lite specs drawn to SVG by vl-convert), and tagged for screen readers (PDF/UA-1)."""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from joinedup.reports.pack import KEY, SYMBOL, Chart, Pack, cell_text

STYLES = Path(__file__).parent / "static" / "reports" / "pack.css"
CHART_WIDTH = 440  # pixels of the plot; with its axis labels the chart then fills the A4 page's width
CHART_FONT = "Liberation Sans"  # metric-compatible with Arial, the pack's own font
PAGE_PIXELS = (
    680  # the A4 page's width inside its margins, in CSS pixels: what the charts take as their container
)


def chart_svg(spec: dict[str, Any]) -> str:
    """A page's Vega-Lite spec drawn as SVG at the pack's width (the pages size charts to their container)."""
    import vl_convert  # imported when a pack is made: it loads the Vega engine

    fixed = copy.deepcopy(spec)
    if fixed.get("width") == "container" or "width" not in fixed:
        fixed["width"] = CHART_WIDTH
    fixed.pop("autosize", None)
    fixed.setdefault("background", "white")
    # one font that both vl-convert (measuring the labels) and WeasyPrint (drawing them) have, so the labels fit
    config = fixed.setdefault("config", {})
    config["font"] = CHART_FONT
    config.setdefault("legend", {})["labelLimit"] = 0  # paper has room for whole names
    # the pages lay charts out for the width of their container (narrower labels on a phone): here, the page's
    text = json.dumps(fixed, default=str).replace("containerSize()[0]", str(PAGE_PIXELS))
    return str(vl_convert.vegalite_to_svg(json.loads(text)))


def _image(chart: Chart) -> dict[str, str]:
    svg = chart_svg(chart.spec).encode()
    return {
        "title": chart.title,
        "description": chart.description,
        "src": "data:image/svg+xml;base64," + base64.b64encode(svg).decode(),
    }


def pack_html(pack: Pack) -> str:
    """The pack as one HTML document."""
    sections = [
        {
            "section": section,
            "charts": [_image(chart) for chart in section.charts],
            "tables": [
                {"table": table, "rows": [[cell_text(cell) for cell in row] for row in table.rows]}
                for table in section.tables
            ],
        }
        for section in pack.sections
    ]
    return render_to_string(
        "reports/pack.html",
        {
            "pack": pack,
            "sections": sections,
            "styles": STYLES.read_text(encoding="utf-8"),
            "symbol": SYMBOL,
            "key": KEY,
        },
    )


def html_pdf(html: str) -> bytes:
    """A PDF of an HTML document made for print, tagged for screen readers (PDF/UA-1: structure tags, the
    document's language and title)."""
    from weasyprint import HTML  # imported when a PDF is made: it loads the Pango libraries

    document = HTML(string=html, base_url=str(STYLES.parent))
    return bytes(document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True))


def pack_pdf(pack: Pack) -> bytes:
    return html_pdf(pack_html(pack))


def pack_render(*, user: Any, partnership: Any, organisation: Any = None, kind: str) -> bytes:
    """Build the pack as `user` may see it and lay it out in `kind` (pdf, html or xlsx)."""
    from joinedup.reports.selectors import pack_build
    from joinedup.reports.spreadsheet import pack_xlsx

    pack = pack_build(user=user, partnership=partnership, organisation=organisation)
    if kind == "pdf":
        return pack_pdf(pack)
    if kind == "html":
        return pack_html(pack).encode()
    if kind == "xlsx":
        return pack_xlsx(pack)
    raise ValueError(f"No pack format {kind!r}")
