"""The events app's URLs, in three parts: event pages, the calendar and feeds, and registrations.

Registrations come before the event pages: /events/mine/ ("mine" is a reserved slug) must not reach the event page's
events/<slug>/ pattern.
"""

from django.urls import include, path

app_name = "events"
urlpatterns = [
    path("", include("freshground.events.urls_calendar")),
    path("", include("freshground.events.urls_registrations")),
    path("", include("freshground.events.urls_events")),
]
