"""Original writing and link posts: app_name "journal" (included from journal/urls.py)."""

from django.urls import path

from freshground.journal import views_articles as views

urlpatterns = [
    path("write/", views.write, name="write"),
    path("preview/", views.preview, name="preview"),
    path("my-articles/", views.my_articles, name="my_articles"),
    path("articles/<str:slug>/", views.article_detail, name="article"),
    path("articles/<str:slug>/edit/", views.article_edit, name="article_edit"),
    path("articles/<str:slug>/history/", views.article_history, name="article_history"),
    path("articles/<str:slug>/submit/", views.article_submit, name="article_submit"),
    path("articles/<str:slug>/publish/", views.article_publish, name="article_publish"),
    path("articles/<str:slug>/withdraw/", views.article_withdraw, name="article_withdraw"),
    path("article-images/<str:name>", views.article_image, name="article_image"),
    path("editing/", views.desk, name="desk"),
    path("editing/<int:pk>/", views.submission, name="submission"),
    path("share/", views.share, name="share"),
    path("links/<int:pk>/", views.link_detail, name="link"),
]
