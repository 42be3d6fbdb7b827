from django.urls import path

from joinedup.voice.views import moderation, public, staff

app_name = "voice"

urlpatterns = [
    path("partnerships/<int:pk>/", staff.partnership_feedback, name="partnership"),
    path("partnerships/<int:pk>/forms/new/", staff.form_create, name="form_create"),
    path("partnerships/<int:pk>/results/", staff.results, name="results"),
    path("partnerships/<int:pk>/results.csv", staff.results_csv, name="results_csv"),
    path("partnerships/<int:pk>/moderation/", moderation.moderation, name="moderation"),
    path("partnerships/<int:pk>/themes/", moderation.themes, name="themes"),
    path("partnerships/<int:pk>/you-said-we-did/", moderation.log_manage, name="log"),
    path("forms/<int:pk>/", staff.form_detail, name="form_detail"),
    path("forms/<int:pk>/edit/", staff.form_edit, name="form_edit"),
    path("forms/<int:pk>/poster.pdf", staff.poster_pdf, name="poster_pdf"),
    path("comments/<int:pk>/", moderation.comment_moderate, name="comment"),
    path("comments/<int:pk>/safeguarding/", moderation.safeguarding, name="safeguarding"),
    path("public/<int:pk>/", public.public_log, name="public_log"),
]
