"""The network in Django's admin: for site admins fixing data, not for everyday work (that goes through services)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from freshground.network.models import (
    Center,
    CenterEditor,
    Circle,
    Follow,
    Invite,
    JoinRequest,
    Membership,
    Tie,
)


class MembershipInline(admin.TabularInline[Membership, Circle]):
    model = Membership
    extra = 0
    raw_id_fields = ("person",)
    fields = ("person", "role", "joined_at")


class CircleTieInline(admin.TabularInline[Tie, Circle]):
    model = Tie
    extra = 0
    fk_name = "circle"
    raw_id_fields = ("center", "declared_by")
    fields = ("center", "wants", "note", "acknowledged_at", "ended_at")
    verbose_name = _("tie")
    verbose_name_plural = _("ties")


@admin.register(Circle)
class CircleAdmin(admin.ModelAdmin[Circle]):
    list_display = ("name", "kind", "place_name", "join_policy", "member_list_visibility", "member_count", "created_at")
    list_filter = ("kind", "join_policy", "member_list_visibility")
    search_fields = ("name", "slug", "place_name", "description")
    readonly_fields = ("member_count", "follower_count", "created_at", "created_by")
    date_hierarchy = "created_at"
    inlines = (MembershipInline, CircleTieInline)
    fieldsets = (
        (None, {"fields": ("name", "slug", "description", "kind")}),
        (_("Place"), {"fields": ("place_name", "latitude", "longitude")}),
        (_("Joining"), {"fields": ("join_policy", "member_list_visibility")}),
        (_("Record"), {"fields": ("member_count", "follower_count", "created_at", "created_by")}),
    )


class CenterEditorInline(admin.TabularInline[CenterEditor, Center]):
    model = CenterEditor
    extra = 0
    raw_id_fields = ("person",)
    fields = ("person", "added_at")


@admin.register(Center)
class CenterAdmin(admin.ModelAdmin[Center]):
    list_display = ("name", "tendency", "tie_count", "follower_count", "created_at")
    list_filter = ("tendency",)
    search_fields = ("name", "slug", "tendency", "description")
    readonly_fields = ("tie_count", "follower_count", "created_at", "created_by")
    inlines = (CenterEditorInline,)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("person", "circle", "role", "joined_at")
    list_filter = ("role",)
    search_fields = ("person__display_name", "person__email", "circle__name")
    raw_id_fields = ("person", "circle")
    list_select_related = ("person", "circle")


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin[JoinRequest]):
    list_display = ("person", "circle", "status", "created_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("person__display_name", "person__email", "circle__name")
    raw_id_fields = ("person", "circle")
    list_select_related = ("person", "circle")


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin[Invite]):
    list_display = ("circle", "created_by", "created_at", "expires_at", "uses", "max_uses", "revoked")
    list_filter = ("revoked",)
    search_fields = ("circle__name",)
    raw_id_fields = ("circle", "created_by")
    readonly_fields = ("token", "uses")
    list_select_related = ("circle", "created_by")


@admin.register(Tie)
class TieAdmin(admin.ModelAdmin[Tie]):
    list_display = ("circle", "center", "created_at", "acknowledged_at", "ended_at")
    list_filter = (("ended_at", admin.EmptyFieldListFilter), ("acknowledged_at", admin.EmptyFieldListFilter))
    search_fields = ("circle__name", "center__name")
    raw_id_fields = ("circle", "center", "declared_by")
    list_select_related = ("circle", "center")


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin[Follow]):
    list_display = ("person", "circle", "center", "created_at")
    search_fields = ("person__display_name", "circle__name", "center__name")
    raw_id_fields = ("person", "circle", "center")
    list_select_related = ("person", "circle", "center")
