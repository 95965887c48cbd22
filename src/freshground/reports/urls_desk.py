"""Desks' and readers' pages (mounted at the site root by reports/urls.py, after the intake's routes, so "submit",
"inbox" and "mine" are never read as report ids). Names are part of the shared URL contract."""

from django.urls import URLPattern, path

from freshground.reports import views_desk as views
from freshground.reports import views_published

REVIEW = "reports/desks/<int:pk>/reports/<str:public_id>/"

urlpatterns: list[URLPattern] = [
    path("reports/", views_published.index, name="index"),
    path("reports/overview/", views_published.overview, name="overview"),
    path("reports/desks/", views.desks, name="desks"),
    path("reports/desks/<int:pk>/", views.desk, name="desk"),
    path("reports/desks/<int:pk>/settings/", views.desk_settings, name="desk_settings"),
    path(REVIEW, views.review, name="review"),
    path(REVIEW + "ask/", views.ask, name="review_ask"),
    path(REVIEW + "version/", views.propose, name="review_version"),
    path(REVIEW + "topics/", views.topics, name="review_topics"),
    path(REVIEW + "images/", views.images, name="review_images"),
    path(REVIEW + "publish/", views.publish, name="review_publish"),
    path(REVIEW + "decline/", views.decline, name="review_decline"),
    path(REVIEW + "related/", views.relate, name="review_relate"),
    path(REVIEW + "related/<int:item_id>/remove/", views.unrelate, name="review_unrelate"),
    path(REVIEW + "attachments/<int:attachment_id>/", views.attachment, name="review_attachment"),
    path("reports/<str:public_id>/", views_published.report_page, name="report"),
    path(
        "reports/<str:public_id>/images/<int:attachment_id>/", views_published.published_image, name="published_image"
    ),
]
