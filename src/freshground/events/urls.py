"""The events app's URLs, in three parts: event pages, the calendar and feeds, and registrations."""

from django.urls import include, path

app_name = "events"
urlpatterns = [
    path("", include("freshground.events.urls_calendar")),
    path("", include("freshground.events.urls_events")),
    path("", include("freshground.events.urls_registrations")),
]
