from django.urls import path

from joinedup.networks import file_views, views

app_name = "networks"


urlpatterns = [
    path("partnerships/<int:pk>/", views.partnership_networks, name="partnership"),
    path("partnerships/<int:pk>/compare/", views.compare, name="compare"),
    path("waves/<int:pk>/", views.wave_network, name="wave"),
    path("respond/<str:token>/", views.respond_direct, name="respond_direct"),
    path("analyse/", file_views.analyse_file, name="analyse_file"),
    path("analyse/<uuid:pk>/", file_views.file_result, name="file_result"),
    path("analyse/<uuid:pk>/network.json", file_views.file_json, name="file_json"),
    path("analyse/<uuid:pk>/organisations.csv", file_views.file_csv, name="file_csv"),
]
