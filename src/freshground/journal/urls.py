"""Journal pages: each part of the app has its own URL module, included here."""

from django.urls import include, path

app_name = "journal"
urlpatterns = [
    path("", include("freshground.journal.urls_sources")),
    path("", include("freshground.journal.urls_articles")),
    path("", include("freshground.journal.urls_search")),
    path("", include("freshground.journal.urls_reading")),
    path("", include("freshground.journal.urls_media")),
]
