"""Reporters' URLs. Included before the desks' and readers' URLs, so "submit", "inbox" and "mine" are never read as
a report's public id."""

from django.urls import path

from freshground.reports import views_intake as views

urlpatterns = [
    path("reports/submit/", views.submit, name="submit"),
    path("reports/inbox/", views.inbox, name="inbox"),
    path("reports/mine/", views.mine, name="mine"),
    path("reports/mine/<str:public_id>/", views.mine_report, name="mine_report"),
    path("reports/mine/<str:public_id>/attachments/<int:pk>/", views.mine_attachment, name="mine_attachment"),
]
