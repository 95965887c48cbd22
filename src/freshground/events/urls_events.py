"""An event's own pages (mounted at the site root by events/urls.py). Names are part of the shared URL contract."""

from django.urls import URLPattern, path

from freshground.events import views_events as views

urlpatterns: list[URLPattern] = [
    path("events/new/", views.event_create, name="event_create"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("events/<slug:slug>/edit/", views.event_edit, name="event_edit"),
    path("events/<slug:slug>/cancel/", views.event_cancel, name="event_cancel"),
    path("events/<slug:slug>/close/", views.event_close, name="event_close"),
    path("events/<slug:slug>/cohosts/", views.event_cohosts, name="event_cohosts"),
    path("events/<slug:slug>/cohosts/<int:pk>/answer/", views.cohost_answer, name="cohost_answer"),
    path("events/<slug:slug>/cohosts/<int:pk>/remove/", views.cohost_remove, name="cohost_remove"),
    path("events/<slug:slug>/promote/", views.event_promote, name="event_promote"),
    path("events/<slug:slug>/unpromote/", views.event_unpromote, name="event_unpromote"),
]
