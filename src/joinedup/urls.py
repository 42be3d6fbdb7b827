from django.contrib import admin
from django.urls import include, path

from joinedup.api import api
from joinedup.register.views.home import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("joinedup.core.urls")),
    path("accounts/", include("joinedup.accounts.urls")),
    path("register/", include("joinedup.register.urls")),
    path("agreements/", include("joinedup.agreements.urls")),
    path("networks/", include("joinedup.networks.urls")),
    path("outcomes/", include("joinedup.outcomes.urls")),
    path("", include("joinedup.surveys.urls")),
    path("assessments/", include("joinedup.assessments.urls")),
    path("governance/", include("joinedup.governance.urls")),
    path("voice/", include("joinedup.voice.urls")),
    path("insight/", include("joinedup.insight.urls")),
    path("reports/", include("joinedup.reports.urls")),
    path("f/", include("joinedup.voice.link_urls")),  # a feedback form's short link (no login)
    path("api/v1/", api.urls),
    path("demo/", include("joinedup.demo.urls")),  # the demo mailbox: 404 outside demo mode
    path("admin/", admin.site.urls),
]
