from django.urls import path

from joinedup.assessments import views

app_name = "assessments"
urlpatterns = [
    path("waves/<int:pk>/results/", views.results, name="results"),
    path("waves/<int:pk>/results.csv", views.results_csv, name="results_csv"),
    path("waves/<int:pk>/results/progress/", views.results_progress, name="results_progress"),
    path("waves/<int:pk>/comments/", views.comments, name="comments"),
]
