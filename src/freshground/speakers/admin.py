from django.contrib import admin

from freshground.speakers.models import Appearance, Endorsement, Speaker, SpeakingRequest, TalkFeedback, TourPlan


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin[Speaker]):
    list_display = ("name", "place_name", "person", "entered_by", "created_at")
    search_fields = ("name", "place_name", "person__email", "entered_by__email")
    raw_id_fields = ("person", "entered_by")
    filter_horizontal = ("topics",)


@admin.register(SpeakingRequest)
class SpeakingRequestAdmin(admin.ModelAdmin[SpeakingRequest]):
    list_display = ("speaker", "circle", "status", "earliest", "latest", "scheduled_date")
    list_filter = ("status",)
    search_fields = ("speaker__name", "circle__name")
    raw_id_fields = ("speaker", "circle", "requested_by", "talk", "topic", "event")


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin[Endorsement]):
    list_display = ("speaker", "topic", "circle", "center", "created_at")
    raw_id_fields = ("speaker", "topic", "circle", "center", "endorsed_by")


@admin.register(TourPlan)
class TourPlanAdmin(admin.ModelAdmin[TourPlan]):
    list_display = ("speaker", "status", "total_km", "method", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("speaker", "created_by")


@admin.register(TalkFeedback)
class TalkFeedbackAdmin(admin.ModelAdmin[TalkFeedback]):
    list_display = ("request", "rating", "created_at")
    raw_id_fields = ("request", "written_by")


@admin.register(Appearance)
class AppearanceAdmin(admin.ModelAdmin[Appearance]):
    list_display = ("speaker", "event", "added_by", "created_at")
    search_fields = ("speaker__name", "event__title")
    raw_id_fields = ("speaker", "event", "added_by")
