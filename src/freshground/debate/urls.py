"""The debate app's URLs: generic comment threads, and structured debates."""

from django.urls import include, path

app_name = "debate"
urlpatterns = [
    path("", include("freshground.debate.urls_comments")),
    path("", include("freshground.debate.urls_debates")),
]
