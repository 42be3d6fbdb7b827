from django.urls import path

from joinedup.surveys import views

app_name = "surveys"
urlpatterns = [
    path("surveys/partnerships/<int:pk>/waves/", views.wave_list, name="wave_list"),
    path("surveys/partnerships/<int:pk>/waves/new/", views.wave_create, name="wave_create"),
    path("surveys/waves/<int:pk>/", views.wave_detail, name="wave_detail"),
    path("surveys/waves/<int:pk>/open/", views.wave_open, name="wave_open"),
    path("surveys/waves/<int:pk>/close/", views.wave_close, name="wave_close"),
    path("surveys/waves/<int:pk>/invite/", views.wave_invite, name="wave_invite"),
    path("surveys/waves/<int:pk>/remind/", views.wave_remind, name="wave_remind"),
    path("surveys/yours/", views.answer_list, name="answer_list"),
    path("s/<str:token>/", views.respond, name="respond"),
    path("s/<str:token>/<slug:step>/", views.respond, name="respond_step"),
]
