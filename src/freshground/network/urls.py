"""The network's pages, mounted at the site root. Names are part of the shared URL contract."""

from django.urls import path

from freshground.network import views

app_name = "network"
urlpatterns = [
    path("circles/", views.directory, name="directory"),
    path("circles/new/", views.circle_create, name="circle_create"),
    path("circles/<slug:slug>/", views.circle, name="circle"),
    path("circles/<slug:slug>/edit/", views.circle_edit, name="circle_edit"),
    path("circles/<slug:slug>/join/", views.circle_join, name="circle_join"),
    path("circles/<slug:slug>/leave/", views.circle_leave, name="circle_leave"),
    path("circles/<slug:slug>/request/", views.circle_request, name="circle_request"),
    path("circles/<slug:slug>/request/withdraw/", views.circle_request_withdraw, name="circle_request_withdraw"),
    path("circles/<slug:slug>/members/", views.circle_members, name="circle_members"),
    path("circles/<slug:slug>/follow/", views.circle_follow, name="circle_follow"),
    path("circles/<slug:slug>/invites/", views.circle_invites, name="circle_invites"),
    path("circles/<slug:slug>/invites/<int:pk>/revoke/", views.invite_revoke, name="invite_revoke"),
    path("circles/<slug:slug>/ties/new/", views.tie_create, name="tie_create"),
    path("ties/<int:pk>/edit/", views.tie_edit, name="tie_edit"),
    path("ties/<int:pk>/end/", views.tie_end, name="tie_end"),
    path("ties/<int:pk>/acknowledge/", views.tie_acknowledge, name="tie_acknowledge"),
    path("invite/<str:token>/", views.invite, name="invite"),
    path("centers/", views.center_directory, name="center_directory"),
    path("centers/new/", views.center_create, name="center_create"),
    path("centers/<slug:slug>/", views.center, name="center"),
    path("centers/<slug:slug>/edit/", views.center_edit, name="center_edit"),
    path("centers/<slug:slug>/follow/", views.center_follow, name="center_follow"),
    path("centers/<slug:slug>/editors/", views.center_editors, name="center_editors"),
    path(
        "centers/<slug:slug>/editors/<int:person_pk>/remove/",
        views.center_editor_remove,
        name="center_editor_remove",
    ),
]
