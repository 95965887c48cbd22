from django.urls import path, re_path

from freshground.journal import views_search as views

FMT = r"(?P<fmt>rss|atom|json)"

urlpatterns = [
    path("search/", views.search_page, name="search"),
    re_path(rf"^feed\.{FMT}$", views.front_feed, name="feed"),
    re_path(rf"^topics/(?P<slug>[-\w]+)/feed\.{FMT}$", views.topic_feed, name="topic_feed"),
    re_path(rf"^centers/(?P<slug>[-\w]+)/feed\.{FMT}$", views.center_feed, name="center_feed"),
    re_path(rf"^circles/(?P<slug>[-\w]+)/feed\.{FMT}$", views.circle_feed, name="circle_feed"),
    re_path(rf"^sources/(?P<slug>[-\w]+)/feed\.{FMT}$", views.source_feed, name="source_feed"),
    re_path(rf"^people/(?P<pk>[0-9]+)/feed\.{FMT}$", views.person_feed, name="person_feed"),
]
