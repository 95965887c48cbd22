"""Inquiry pages. Public pages under /inquiries/ (the reporter-privacy paths); editors' pages under /inquiry-editor/,
which keep the editor's session."""

from django.urls import path

from freshground.inquiries import views

app_name = "inquiries"
urlpatterns = [
    path("inquiries/", views.index, name="index"),
    path("inquiries/<slug:slug>/", views.inquiry_page, name="inquiry"),
    path("inquiries/<slug:slug>/thanks/", views.thanks, name="thanks"),
    path("inquiries/<slug:slug>/results/", views.results, name="results"),
    path("inquiry-editor/", views.mine, name="mine"),
    path("inquiry-editor/new/", views.create, name="create"),
    path("inquiry-editor/<slug:slug>/", views.edit, name="edit"),
    path("inquiry-editor/<slug:slug>/questions/new/", views.question_form, name="question_add"),
    path("inquiry-editor/<slug:slug>/questions/<int:pk>/", views.question_form, name="question_edit"),
    path("inquiry-editor/<slug:slug>/questions/<int:pk>/move/", views.question_move, name="question_move"),
    path("inquiry-editor/<slug:slug>/questions/<int:pk>/remove/", views.question_remove, name="question_remove"),
    path("inquiry-editor/<slug:slug>/publish/", views.publish, name="publish"),
    path("inquiry-editor/<slug:slug>/close/", views.close, name="close"),
    path("inquiry-editor/<slug:slug>/answers/", views.free_text, name="free_text"),
    path("inquiry-editor/<slug:slug>/export.csv", views.export, name="export"),
]
