"""Registration pages (mounted at the site root by events/urls.py).

A person's and a guest's own pages live under /events/mine/ ("mine" is a reserved event slug), the hosts' pages
under the event's address.
"""

from django.urls import URLPattern, path

from freshground.events import views_registrations as views

urlpatterns: list[URLPattern] = [
    path("events/mine/", views.my_registrations, name="my_registrations"),
    path("events/mine/<int:pk>/", views.registration, name="registration"),
    path("events/mine/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("events/mine/<int:pk>/feedback/", views.registration_feedback, name="registration_feedback"),
    path("events/mine/guest/<str:token>/", views.guest_registration, name="guest_registration"),
    path("events/mine/guest/<str:token>/cancel/", views.guest_registration_cancel, name="guest_registration_cancel"),
    path(
        "events/mine/guest/<str:token>/feedback/",
        views.guest_registration_feedback,
        name="guest_registration_feedback",
    ),
    path("events/<slug:slug>/register/", views.register, name="register"),
    path("events/<slug:slug>/registrations/", views.registrations, name="registrations"),
    path("events/<slug:slug>/registrations.csv", views.registrations_csv, name="registrations_csv"),
    path(
        "events/<slug:slug>/registrations/<int:pk>/attendance/",
        views.registration_attendance,
        name="registration_attendance",
    ),
    path("events/<slug:slug>/check-in/", views.check_in, name="check_in"),
    path("events/<slug:slug>/feedback/", views.feedback_summary, name="feedback_summary"),
]
