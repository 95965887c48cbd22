"""The network's web pages. Views parse the request, call one query or service, and render."""

from freshground.network.views.centers import (
    center,
    center_create,
    center_edit,
    center_editor_remove,
    center_editors,
    center_follow,
)
from freshground.network.views.circles import (
    circle,
    circle_create,
    circle_edit,
    circle_follow,
    circle_join,
    circle_leave,
    circle_request,
    circle_request_withdraw,
)
from freshground.network.views.directory import center_directory, directory
from freshground.network.views.members import circle_invites, circle_members, invite, invite_revoke
from freshground.network.views.ties import tie_acknowledge, tie_create, tie_edit, tie_end

__all__ = [
    "center",
    "center_create",
    "center_directory",
    "center_edit",
    "center_editor_remove",
    "center_editors",
    "center_follow",
    "circle",
    "circle_create",
    "circle_edit",
    "circle_follow",
    "circle_invites",
    "circle_join",
    "circle_leave",
    "circle_members",
    "circle_request",
    "circle_request_withdraw",
    "directory",
    "invite",
    "invite_revoke",
    "tie_acknowledge",
    "tie_create",
    "tie_edit",
    "tie_end",
]
