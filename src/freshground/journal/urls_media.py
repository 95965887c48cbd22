"""The image proxy: outside images served from our own address (see views_media)."""

from django.urls import URLPattern, path

from freshground.journal import views_media

urlpatterns: list[URLPattern] = [
    path("img/<str:token>/", views_media.image, name="image"),
]
