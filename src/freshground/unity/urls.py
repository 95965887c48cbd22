"""Unity pages (app_name "unity", mounted at the root): the list, opening a conversation, the conversation with its
voting card, statements, circles, moderation, closing, the opinion map, the report and its exports."""

from django.urls import URLPattern, path

from freshground.unity import views, views_documents

app_name = "unity"
urlpatterns: list[URLPattern] = [
    path("unity/", views.index, name="index"),
    path("unity/new/", views.create, name="create"),
    path("unity/documents/<int:pk>/", views_documents.document_detail, name="document"),
    path("unity/documents/<int:pk>/edit/", views_documents.document_edit, name="document_edit"),
    path("unity/documents/<int:pk>/endorse/", views_documents.document_endorse, name="document_endorse"),
    path("unity/endorsements/<int:pk>/withdraw/", views_documents.endorsement_withdraw, name="endorsement_withdraw"),
    path("unity/<str:slug>/", views.conversation_detail, name="conversation"),
    path("unity/<str:slug>/vote/", views.vote, name="vote"),
    path("unity/<str:slug>/statements/new/", views.statement_add, name="statement_add"),
    path("unity/<str:slug>/statements/<int:pk>/moderate/", views.moderate, name="moderate"),
    path("unity/<str:slug>/circles/", views.declare, name="declare"),
    path("unity/<str:slug>/close/", views.close, name="close"),
    path("unity/<str:slug>/map/", views.opinion_map_view, name="map"),
    path("unity/<str:slug>/documents/new/", views_documents.document_create, name="document_create"),
    path("unity/<str:slug>/report/", views.report, name="report"),
    path("unity/<str:slug>/report.csv", views.report_csv, name="report_csv"),
    path("unity/<str:slug>/report.json", views.report_json, name="report_json"),
]
