"""What the reports app adds to the shell (joinedup.core.registry): the partnership page's link to "Download a
review pack", for those who may take the partnership's figures away (EXPORT)."""

from joinedup.core.permissions import Permission
from joinedup.core.registry import Section, sections
from joinedup.reports import selectors

sections.add(
    Section(
        key="reports",
        title="Review packs",
        order=16,
        permission=Permission.EXPORT,
        template="reports/_partnership_section.html",
        context=selectors.partnership_section,
    )
)
