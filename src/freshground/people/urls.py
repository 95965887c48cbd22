from django.urls import URLPattern, path

from freshground.people import views

app_name = "people"
urlpatterns: list[URLPattern] = [
    path("people/<int:pk>/", views.profile, name="profile"),
    path("settings/", views.settings_index, name="settings"),
    path("settings/profile/", views.edit_profile, name="edit_profile"),
    path("settings/tokens/", views.tokens, name="tokens"),
    path("settings/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("settings/export/", views.export, name="export"),
    path("settings/delete/", views.delete_account, name="delete_account"),
]
