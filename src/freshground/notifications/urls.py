from django.urls import path

from freshground.notifications import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.index, name="index"),
    path("notifications/read-all/", views.read_all, name="read_all"),
    path("notifications/<int:pk>/read/", views.read, name="read"),
    path("notifications/<int:pk>/open/", views.open_notification, name="open"),
    path("notifications/follow/<str:label>/<int:object_id>/", views.follow, name="follow"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("settings/notifications/", views.settings_page, name="settings"),
    path("settings/notifications/topics/", views.topic_follow, name="topic_follow"),
    path("settings/notifications/topics/<int:tag_id>/unfollow/", views.topic_unfollow, name="topic_unfollow"),
]
