"""Comment URLs (included by debate/urls.py under the "debate" namespace)."""

from django.urls import path

from freshground.debate import views_comments as views

urlpatterns = [
    path("comments/thread/<str:label>/<int:object_id>/", views.thread, name="thread"),
    path("comments/thread/<str:label>/<int:object_id>/post/", views.comment_post, name="comment_post"),
    path("comments/<int:pk>/", views.comment_detail, name="comment"),
    path("comments/<int:pk>/reply/", views.comment_reply, name="comment_reply"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<int:pk>/history/", views.comment_history, name="comment_history"),
]
