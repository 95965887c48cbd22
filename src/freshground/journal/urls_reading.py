from django.urls import path

from freshground.journal import views_reading as views

urlpatterns = [
    path("", views.index, name="index"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/recommend/", views.recommend, name="recommend"),
    path("items/<int:pk>/save/", views.save, name="save"),
    path("items/<int:pk>/pick/", views.pick, name="pick"),
    path("stories/<int:pk>/", views.story_detail, name="story"),
    path("topics/", views.topics, name="topics"),
    path("topics/<str:slug>/", views.topic, name="topic"),
    path("topics/<str:slug>/follow/", views.topic_follow, name="topic_follow"),
    path("centers/<str:slug>/", views.center, name="center"),
    path("circles/<str:slug>/", views.circle, name="circle"),
    path("people/<int:pk>/", views.person, name="person"),
    path("mine/", views.mine, name="mine"),
    path("saved/", views.saved, name="saved"),
]
