from django.urls import URLPattern, path

from freshground.campaigns import views

app_name = "campaigns"
urlpatterns: list[URLPattern] = [
    path("campaigns/", views.index, name="index"),
    path("campaigns/<slug:slug>/", views.campaign, name="campaign"),
    path("campaigns/<slug:slug>/reports/<int:pk>/", views.report, name="report"),
    path("campaigns/<slug:slug>/petitions/<int:pk>/", views.petition, name="petition"),
    path("campaigns/<slug:slug>/kit/<int:pk>/", views.kit_item, name="kit_item"),
]
