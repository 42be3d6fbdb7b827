from django.urls import path

from joinedup.reports import views

app_name = "reports"
urlpatterns = [
    path("partnerships/<int:pk>/pack/", views.pack_form, name="pack"),
    path("packs/<uuid:pk>/download/", views.pack_download, name="download"),
    path("meetings/<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
]
