"""The shared calendar and its iCalendar feeds (mounted at the site root by events/urls.py)."""

from django.urls import URLPattern, path

from freshground.events import views_calendar as views

urlpatterns: list[URLPattern] = [
    path("events/", views.index, name="index"),
    path("events/list/", views.list_page, name="list"),
    path("events/month/", views.month_page, name="month"),
    path("events/week/", views.week_page, name="week"),
    path("events/calendar.ics", views.calendar_ics, name="calendar_ics"),
    path("events/feeds/<str:token>.ics", views.person_ics, name="person_ics"),
    path("events/<slug:slug>/event.ics", views.event_ics, name="event_ics"),
    path("circles/<slug:slug>/events.ics", views.circle_ics, name="circle_ics"),
    path("centers/<slug:slug>/events.ics", views.center_ics, name="center_ics"),
]
