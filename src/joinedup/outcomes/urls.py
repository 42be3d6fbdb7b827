from django.urls import path

from joinedup.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("partnerships/<int:pk>/", views.partnership_indicators, name="partnership"),
    path("partnerships/<int:pk>/catalogue/", views.catalogue, name="catalogue"),
    path("partnerships/<int:pk>/new/", views.indicator_create, name="indicator_create"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/measurements/new/", views.measurement_add, name="measurement_add"),
    path("indicators/<int:pk>/measurements/import/", views.measurement_import, name="measurement_import"),
    path("indicators/<int:pk>/rebase/", views.indicator_rebase, name="rebase"),
]
