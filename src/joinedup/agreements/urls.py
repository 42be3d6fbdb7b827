from django.urls import path

from joinedup.agreements.views import negotiation, pages

app_name = "agreements"
urlpatterns = [
    path("partnerships/<int:pk>/", pages.agreement_list, name="list"),
    path("partnerships/<int:pk>/new/", pages.agreement_create, name="create"),
    path("reviews/", pages.reviews_due, name="reviews_due"),
    path("<int:pk>/", pages.agreement_detail, name="detail"),
    path("<int:pk>/diff/", pages.version_diff, name="diff"),
    path("<int:pk>/reviews/new/", pages.review_add, name="review_add"),
    path("<int:pk>/drafts/new/", negotiation.draft_start, name="draft_start"),
    path("<int:pk>/versions/<int:number>/", pages.version_detail, name="version"),
    path("<int:pk>/versions/<int:number>/edit/", negotiation.draft_edit, name="draft_edit"),
    path("<int:pk>/versions/<int:number>/proposal/", negotiation.proposal, name="proposal"),
    path("<int:pk>/versions/<int:number>/comments/", negotiation.comment_add, name="comment_add"),
    path(
        "<int:pk>/versions/<int:number>/positions/<int:org_pk>/",
        negotiation.position_record,
        name="position_record",
    ),
    path("<int:pk>/versions/<int:number>/withdraw/", negotiation.proposal_withdraw, name="withdraw"),
    path("<int:pk>/versions/<int:number>/revise/", negotiation.proposal_revise, name="revise"),
    path("<int:pk>/versions/<int:number>/sign/", negotiation.version_sign, name="sign"),
]
