"""What the reports app adds to the shell (joinedup.core.registry): the partnership page's link to "Download a
review pack", for those who may take the partnership's figures away (EXPORT); and, for a person's data rights,
the packs they asked for (stored packs are deleted when anyone is erased)."""

from joinedup.core.permissions import Permission
from joinedup.core.personal_data import PersonalData, personal_data
from joinedup.core.registry import ApiRouter, Section, api_routers, sections
from joinedup.reports import api, personal, selectors

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
personal_data.add(PersonalData(key="reports", export=personal.export, erase=personal.erase, order=70))
api_routers.add(ApiRouter(key="reports", router=api.router, order=80))
