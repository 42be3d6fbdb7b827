from django.urls import path

from joinedup.register.views import (
    account,
    imports,
    landscape,
    organisations,
    partnerships,
    people,
    place,
    representatives,
    roles,
    tokens,
)

app_name = "register"
urlpatterns = [
    path("partnerships/", partnerships.partnership_list, name="partnership_list"),
    path("partnerships/new/", partnerships.partnership_create, name="partnership_create"),
    path("partnerships/<int:pk>/", partnerships.partnership_detail, name="partnership_detail"),
    path("partnerships/<int:pk>/edit/", partnerships.partnership_edit, name="partnership_edit"),
    path("partnerships/<int:pk>/members/add/", partnerships.membership_add, name="membership_add"),
    path(
        "partnerships/<int:pk>/members/<int:membership_pk>/",
        partnerships.membership_edit,
        name="membership_edit",
    ),
    path(
        "partnerships/<int:pk>/members/people/",
        representatives.representative_picker,
        name="representative_picker",
    ),
    path("partnerships/<int:pk>/people/", roles.partnership_roles, name="partnership_roles"),
    path(
        "partnerships/<int:pk>/people/invitations/<int:invitation_pk>/",
        roles.invitation_manage,
        name="invitation_manage",
    ),
    path("partnerships/<int:pk>/people/roles/<int:role_pk>/", roles.role_manage, name="role_manage"),
    path("invitation/sso/done/", roles.invitation_sso_done, name="invitation_sso_done"),
    path("invitation/<str:token>/", roles.invitation_accept, name="invitation_accept"),
    path("invitation/<str:token>/sso/", roles.invitation_sso, name="invitation_sso"),
    path("invitations/<int:invitation_pk>/", roles.invitation_own, name="invitation_own"),
    path("partnerships/<int:pk>/events/add/", partnerships.event_add, name="event_add"),
    path("partnerships/<int:pk>/history/", partnerships.partnership_history, name="partnership_history"),
    path("organisations/", organisations.organisation_list, name="organisation_list"),
    path("organisations/new/", organisations.organisation_create, name="organisation_create"),
    path("organisations/import/", imports.organisation_import, name="organisation_import"),
    path(
        "organisations/import/<uuid:pk>/",
        imports.organisation_import_report,
        name="organisation_import_report",
    ),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", organisations.organisation_edit, name="organisation_edit"),
    path("people/", people.person_list, name="person_list"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/affiliations/add/", people.affiliation_add, name="affiliation_add"),
    path(
        "people/<int:pk>/affiliations/<int:affiliation_pk>/", people.affiliation_edit, name="affiliation_edit"
    ),
    path("landscape/", landscape.landscape, name="landscape"),
    path("place/", place.place, name="place"),
    path("place/place.csv", place.place_csv, name="place_csv"),
    path("account/", account.account, name="account"),
    path("account/tokens/", tokens.token_list, name="token_list"),
    path("account/tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("account/email/<str:token>/", account.account_email_confirm, name="account_email_confirm"),
]
