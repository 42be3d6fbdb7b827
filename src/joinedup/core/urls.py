from django.urls import path

from joinedup.core import views

app_name = "core"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("glossary/", views.glossary, name="glossary"),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<uuid:pk>/", views.job, name="job"),
    path("jobs/<uuid:pk>/retry/", views.job_retry, name="job_retry"),
]
