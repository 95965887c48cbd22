"""The reports app's URLs: reporters' pages (submission, the passphrase inbox) and the desks' and readers' pages."""

from django.urls import include, path

app_name = "reports"
urlpatterns = [
    path("", include("freshground.reports.urls_intake")),
    path("", include("freshground.reports.urls_desk")),
]
