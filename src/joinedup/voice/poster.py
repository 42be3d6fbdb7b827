"""The printable A4 poster of a feedback form: its short link and a QR code (segno, as SVG), laid out in an HTML
template and made into a PDF by WeasyPrint. No figures are on it: it holds only what the public link shows."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.template.loader import render_to_string


def qr_svg(url: str) -> str:
    """The QR code of `url` as an inline SVG element (medium error correction: still reads if a corner is
    torn or written on)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(
        out, kind="svg", scale=4, border=4, xmldecl=False, svgns=True, title=f"QR code for {url}", unit="mm"
    )
    return out.getvalue().decode()


def poster_html(*, form: Any, url: str) -> str:
    return render_to_string(
        "voice/poster.html", {"form": form, "partnership": form.partnership, "url": url, "qr": qr_svg(url)}
    )


def poster_pdf(*, form: Any, url: str) -> bytes:
    from weasyprint import HTML  # imported when a poster is made: it loads the Pango libraries

    return bytes(HTML(string=poster_html(form=form, url=url)).write_pdf())
