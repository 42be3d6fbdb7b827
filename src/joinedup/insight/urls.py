from django.urls import path

from joinedup.insight import views

app_name = "insight"
urlpatterns = [
    path("flags/", views.guide, name="guide"),
    path("partnerships/<int:pk>/health/", views.health, name="health"),
    path("partnerships/<int:pk>/thresholds/", views.thresholds, name="thresholds"),
]
