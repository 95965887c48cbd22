from django.contrib import admin
from django.urls import include, path

from freshground.api import api
from freshground.core import views as core_views

handler400 = "freshground.core.views.bad_request"
handler403 = "freshground.core.views.permission_denied"
handler404 = "freshground.core.views.page_not_found"
handler500 = "freshground.core.views.server_error"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", include("freshground.people.urls")),
    path("", include("freshground.network.urls")),
    path("", include("freshground.events.urls")),
    path("", include("freshground.speakers.urls")),
    path("", include("freshground.debate.urls")),
    path("", include("freshground.moderation.urls")),
    path("", include("freshground.notifications.urls")),
    path("", include("freshground.reports.urls")),
    path("", include("freshground.inquiries.urls")),
    path("journal/", include("freshground.journal.urls")),
    path("", include("freshground.unity.urls")),
    path("", include("freshground.campaigns.urls")),
    path("", include("freshground.decisions.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
