"""Site admin for people. No password field is ever shown; API tokens are view-only (they can be deleted)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from freshground.people.models import ApiToken, Person


class ApiTokenInline(admin.TabularInline[ApiToken, Person]):
    model = ApiToken
    extra = 0
    fields = ("name", "prefix", "created_at", "last_used_on", "expires_at")
    readonly_fields = fields
    can_delete = True
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ("display_name", "email", "is_active", "is_staff", "date_joined", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("display_name", "email")
    ordering = ("display_name", "id")
    readonly_fields = ("date_joined", "last_login")
    filter_horizontal = ("skills", "interests", "groups", "user_permissions")
    inlines = (ApiTokenInline,)
    fieldsets = (
        (None, {"fields": ("email", "display_name")}),
        (
            _("Profile"),
            {
                "fields": (
                    "bio",
                    "place_name",
                    "latitude",
                    "longitude",
                    "languages",
                    "skills",
                    "interests",
                    "visibility",
                    "time_zone",
                )
            },
        ),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("date_joined", "last_login")}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # People sign up themselves (or an operator runs createsuperuser): an admin never sets a password here.
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("name", "person", "prefix", "created_at", "last_used_on", "expires_at")
    list_select_related = ("person",)
    search_fields = ("name", "prefix", "person__display_name", "person__email")
    fields = ("person", "name", "prefix", "created_at", "last_used_on", "expires_at")
    readonly_fields = fields
    ordering = ("-created_at",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
