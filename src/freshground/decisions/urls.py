"""Decision pages, under /decisions/."""

from django.urls import path

from freshground.decisions import views

app_name = "decisions"
urlpatterns = [
    path("decisions/", views.index, name="index"),
    path("decisions/new/", views.create, name="create"),
    path("decisions/<slug:slug>/", views.decision_page, name="decision"),
    path("decisions/<slug:slug>/vote/", views.vote, name="vote"),
    path("decisions/<slug:slug>/options/", views.propose, name="propose"),
    path("decisions/<slug:slug>/phase/", views.phase, name="phase"),
    path("decisions/<slug:slug>/objections/<int:pk>/answer/", views.objection_answer, name="objection_answer"),
    path("decisions/<slug:slug>/objections/<int:pk>/settle/", views.objection_settle, name="objection_settle"),
    path("decisions/<slug:slug>/results/", views.results, name="results"),
    path("decisions/<slug:slug>/ballots.json", views.ballots_json, name="ballots"),
    path("decisions/<slug:slug>/receipt/", views.receipt, name="receipt"),
]
