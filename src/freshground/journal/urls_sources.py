"""The journal's source pages (included in journal/urls.py, app_name "journal")."""

from django.urls import URLPattern, path

from freshground.journal import views_sources as views

urlpatterns: list[URLPattern] = [
    path("sources/", views.sources, name="sources"),
    path("sources.opml", views.opml, name="opml"),
    path("sources/new/", views.source_new, name="source_new"),
    path("sources/import/", views.opml_import, name="opml_import"),
    path("sources/<str:slug>/", views.source, name="source"),
    path("sources/<str:slug>/edit/", views.source_edit, name="source_edit"),
    path("sources/<str:slug>/review/", views.source_review, name="source_review"),
    path("sources/<str:slug>/follow/", views.source_follow, name="source_follow"),
]
