"""Network measures' stored values as a partnership lead reads them."""

from __future__ import annotations


def betweenness_method_text(method: object) -> str:
    """'exact' or 'sampled:K' (analysis.network) in words."""
    text = str(method or "")
    if text == "exact":
        return "Worked out exactly"
    if text.startswith("sampled:"):
        count = text.split(":", 1)[1]
        return f"Estimated from {count} randomly chosen starting organisations (the network is too large to work out exactly)"
    return text or "–"
