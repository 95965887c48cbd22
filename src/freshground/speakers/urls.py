"""The speaker roster, requests and tours, mounted at the site root."""

from django.urls import path

from freshground.speakers import views

app_name = "speakers"
urlpatterns = [
    path("speakers/", views.roster, name="roster"),
    path("speakers/new/", views.speaker_create, name="speaker_create"),
    path("speakers/<int:pk>/", views.speaker, name="speaker"),
    path("speakers/<int:pk>/talks.ics", views.speaker_ics, name="speaker_ics"),
    path("speakers/<int:pk>/edit/", views.speaker_edit, name="speaker_edit"),
    path("speakers/<int:pk>/endorse/", views.endorse, name="endorse"),
    path("speakers/<int:pk>/invite/", views.request_form, name="request"),
    path("speakers/<int:pk>/requests/", views.inbox, name="inbox"),
    path("speakers/<int:pk>/tour/", views.tour, name="tour"),
    path("speakers/<int:pk>/tour/accept/", views.tour_accept, name="tour_accept"),
    path("speakers/endorsements/<int:pk>/withdraw/", views.unendorse, name="unendorse"),
    path("speakers/requests/<int:pk>/answer/", views.answer, name="answer"),
    path("speakers/requests/<int:pk>/proposal/", views.proposal, name="proposal"),
    path("speakers/requests/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("speakers/circle/<slug:slug>/", views.circle_requests, name="circle_requests"),
    # Not captured by any events/<slug>/… pattern of the events app (mounted before this module).
    path("events/<slug:slug>/speakers/", views.event_speakers, name="event_speakers"),
]
