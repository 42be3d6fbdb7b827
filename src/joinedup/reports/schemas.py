"""The reports API's shapes."""

from typing import Literal

from ninja import Field, Schema


class PackIn(Schema):
    format: Literal["pdf", "html", "xlsx"] = Field("pdf", description="pdf, html or xlsx.")
    partner: str | None = Field(
        None,
        description="A member organisation's number or exact name, for its governance pack; leave out for the "
        "partnership's review pack.",
    )
