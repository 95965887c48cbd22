from django.urls import URLPattern, path

from freshground.campaigns import views, views_actions, views_kits, views_petitions, views_progress

app_name = "campaigns"
urlpatterns: list[URLPattern] = [
    path("campaigns/", views.index, name="index"),
    path("campaigns/new/", views.create, name="create"),
    path("campaigns/progress/", views_progress.progress, name="progress"),
    path("campaigns/signatures/<str:token>/", views_petitions.signature_confirm, name="signature_confirm"),
    path("campaigns/<slug:slug>/", views.campaign, name="campaign"),
    path("campaigns/<slug:slug>/edit/", views.edit, name="edit"),
    path("campaigns/<slug:slug>/status/", views.change_status, name="status"),
    path("campaigns/<slug:slug>/sponsor/", views.sponsor_request, name="sponsor_request"),
    path("campaigns/<slug:slug>/sponsors/<int:pk>/decide/", views.sponsor_decide, name="sponsor_decide"),
    path("campaigns/<slug:slug>/sponsors/<int:pk>/withdraw/", views.sponsor_withdraw, name="sponsor_withdraw"),
    path("campaigns/<slug:slug>/support/", views.support, name="support"),
    path("campaigns/<slug:slug>/supporters/", views.supporters, name="supporters"),
    path("campaigns/<slug:slug>/goals/new/", views.goal_add, name="goal_add"),
    path("campaigns/<slug:slug>/goals/<int:pk>/", views.goal_update, name="goal_update"),
    path("campaigns/<slug:slug>/plan/", views_actions.plan, name="plan"),
    path("campaigns/<slug:slug>/plan/actions/new/", views_actions.action_add, name="action_add"),
    path("campaigns/<slug:slug>/actions/<int:pk>/edit/", views_actions.action_edit, name="action_edit"),
    path("campaigns/<slug:slug>/plan/tasks/new/", views_actions.task_add, name="task_add"),
    path("campaigns/<slug:slug>/plan/tasks/<int:pk>/done/", views_actions.task_done, name="task_done"),
    path("campaigns/<slug:slug>/reports/new/", views_progress.report_add, name="report_add"),
    path("campaigns/<slug:slug>/reports/<int:pk>/", views_progress.report_detail, name="report"),
    path("campaigns/<slug:slug>/petitions/new/", views_petitions.petition_add, name="petition_add"),
    path("campaigns/<slug:slug>/petitions/<int:pk>/", views_petitions.petition, name="petition"),
    path(
        "campaigns/<slug:slug>/petitions/<int:pk>/signatures.csv",
        views_petitions.petition_export,
        name="petition_export",
    ),
    path("campaigns/<slug:slug>/kit/new/", views_kits.kit_add, name="kit_add"),
    path("campaigns/<slug:slug>/kit/<int:pk>/", views_kits.kit_item, name="kit_item"),
    path("campaigns/<slug:slug>/kit/<int:pk>/copy/", views_kits.kit_copy, name="kit_copy"),
    path("campaigns/<slug:slug>/kit/<int:pk>/edit/", views_kits.kit_edit, name="kit_edit"),
]
