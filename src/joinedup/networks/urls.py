from django.urls import path

from joinedup.core.permissions import Access, permission_declared
from joinedup.networks import file_views, views
from joinedup.surveys.services import link_resolve

app_name = "networks"


@permission_declared(Access.PUBLIC)
def respond_direct(request, token):  # type: ignore[no-untyped-def]
    """The relationship survey at its own address (the survey links /s/<token>/ reach the same function)."""
    from django.http import Http404

    target = link_resolve(token)
    if target is None:
        raise Http404("This link does not work")
    return views.respond(request, target, token)


urlpatterns = [
    path("partnerships/<int:pk>/", views.partnership_networks, name="partnership"),
    path("partnerships/<int:pk>/compare/", views.compare, name="compare"),
    path("waves/<int:pk>/", views.wave_network, name="wave"),
    path("respond/<str:token>/", respond_direct, name="respond_direct"),
    path("analyse/", file_views.analyse_file, name="analyse_file"),
    path("analyse/<uuid:pk>/", file_views.file_result, name="file_result"),
    path("analyse/<uuid:pk>/network.json", file_views.file_json, name="file_json"),
    path("analyse/<uuid:pk>/organisations.csv", file_views.file_csv, name="file_csv"),
]
