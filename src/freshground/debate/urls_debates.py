"""Structured debates' pages (names are part of the shared URL contract: debate:index, debate_create, debate,
argument, summary)."""

from django.urls import URLPattern, path

from freshground.debate import views_debates as views

urlpatterns: list[URLPattern] = [
    path("debates/", views.debate_index, name="index"),
    path("debates/new/", views.debate_create, name="debate_create"),
    path("debates/<slug:slug>/", views.debate_detail, name="debate"),
    path("debates/<slug:slug>/positions/new/", views.position_add, name="position_add"),
    path("debates/<slug:slug>/positions/<int:pk>/", views.position_detail, name="position"),
    path("debates/<slug:slug>/arguments/new/", views.argument_add, name="argument_add"),
    path("debates/<slug:slug>/invitations/", views.debate_invite, name="debate_invite"),
    path("debates/<slug:slug>/invitations/<int:pk>/", views.debate_statement, name="debate_statement"),
    path("debates/<slug:slug>/close/", views.debate_close, name="debate_close"),
    path("debates/<slug:slug>/summary/<int:version>/", views.summary_detail, name="summary"),
    path("arguments/<int:pk>/", views.argument_detail, name="argument"),
    path("arguments/<int:pk>/convincing/", views.argument_convincing, name="argument_convincing"),
]
