from django.urls import path

from joinedup.governance.views import meetings, records

app_name = "governance"
urlpatterns = [
    path("partnerships/<int:pk>/meetings/", meetings.meeting_list, name="meetings"),
    path("partnerships/<int:pk>/meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("partnerships/<int:pk>/quorum/", meetings.quorum_rule_edit, name="quorum_rule"),
    path("partnerships/<int:pk>/decisions/", records.decision_list, name="decisions"),
    path("partnerships/<int:pk>/actions/", records.action_list, name="actions"),
    path("partnerships/<int:pk>/actions/new/", records.action_create, name="action_create"),
    path("partnerships/<int:pk>/disputes/", records.dispute_list, name="disputes"),
    path("partnerships/<int:pk>/disputes/new/", records.dispute_create, name="dispute_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/minutes/", meetings.meeting_minutes, name="minutes"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/items/", meetings.item_add, name="item_add"),
    path("meetings/<int:pk>/papers/new/", meetings.paper_add, name="paper_add"),
    path("meetings/<int:pk>/attendance/", meetings.attendance_edit, name="attendance"),
    path("meetings/<int:pk>/decisions/new/", records.decision_create, name="decision_create"),
    path("papers/<int:pk>/", meetings.paper_download, name="paper"),
    path("decisions/<int:pk>/", records.decision_detail, name="decision"),
    path("decisions/<int:pk>/edit/", records.decision_edit, name="decision_edit"),
    path("actions/<int:pk>/", records.action_detail, name="action"),
    path("actions/<int:pk>/edit/", records.action_edit, name="action_edit"),
    path("disputes/<int:pk>/", records.dispute_detail, name="dispute"),
    path("disputes/<int:pk>/edit/", records.dispute_edit, name="dispute_edit"),
]
