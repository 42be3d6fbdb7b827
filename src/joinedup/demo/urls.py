from django.urls import path

from joinedup.demo import views

app_name = "demo"
urlpatterns = [
    path("mail/", views.mail_list, name="mail_list"),
    path("mail/<str:ref>/", views.mail_detail, name="mail_detail"),
]
