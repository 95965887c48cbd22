"""Moderation pages. `house_rules` takes ("circle" | "center", slug): circle and center pages link to it."""

from django.urls import path, register_converter

from freshground.moderation import views


class SpaceKindConverter:
    regex = "circle|center"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class LabelConverter:
    regex = r"[a-z_]+\.[a-z_]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SpaceKindConverter, "space")
register_converter(LabelConverter, "label")

app_name = "moderation"
urlpatterns = [
    path("code-of-conduct/", views.code_of_conduct, name="code_of_conduct"),
    path("code-of-conduct/edit/", views.code_of_conduct_edit, name="code_of_conduct_edit"),
    path("moderation/queue/", views.site_queue, name="site_queue"),
    path("moderation/log/", views.site_log, name="site_log"),
    path("moderation/site-moderators/", views.site_moderators, name="site_moderators"),
    path("moderation/me/", views.mine, name="mine"),
    path("moderation/flags/", views.my_flags, name="my_flags"),
    path("moderation/flag/<label:label>/<int:object_id>/", views.flag, name="flag"),
    path("moderation/act/<label:label>/<int:object_id>/", views.act, name="act"),
    path("moderation/thread/<label:label>/<int:object_id>/", views.thread_act, name="thread_act"),
    path("moderation/people/", views.relations, name="relations"),
    path("moderation/people/<int:pk>/", views.relation, name="relation"),
    path("moderation/people/<int:pk>/act/", views.person_act, name="person_act"),
    path("moderation/actions/<int:pk>/appeal/", views.appeal, name="appeal"),
    path("moderation/appeals/<int:pk>/", views.appeal_decide, name="appeal_decide"),
    path("moderation/<space:space_kind>/<slug:slug>/rules/", views.house_rules, name="house_rules"),
    path("moderation/<space:space_kind>/<slug:slug>/rules/edit/", views.house_rules_edit, name="house_rules_edit"),
    path("moderation/<space:space_kind>/<slug:slug>/queue/", views.queue, name="queue"),
    path("moderation/<space:space_kind>/<slug:slug>/log/", views.log, name="log"),
    path("moderation/<space:space_kind>/<slug:slug>/settings/", views.space_settings, name="space_settings"),
]
