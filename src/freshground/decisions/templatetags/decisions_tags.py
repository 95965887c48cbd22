"""`{% decisions_panel campaign %}` (or a circle or a center): the space's decisions, for a lower app's page.

The panel costs one query and links to opening a new decision when the viewer may open one there.
"""

from __future__ import annotations

from typing import Any

from django import template

from freshground.campaigns.models import Campaign
from freshground.decisions import permissions as perms
from freshground.decisions import queries
from freshground.network.models import Center, Circle

register = template.Library()


@register.inclusion_tag("decisions/_panel.html", takes_context=True)
def decisions_panel(context: template.Context, space: Circle | Center | Campaign) -> dict[str, Any]:
    request = context.get("request")
    viewer = getattr(request, "user", None)
    if isinstance(space, Circle):
        decisions, param = queries.decisions_in_space(circle=space), "circle"
    elif isinstance(space, Center):
        decisions, param = queries.decisions_in_space(center=space), "center"
    else:
        decisions, param = queries.decisions_in_space(campaign=space), "campaign"
    return {
        "decisions": decisions,
        "space": space,
        "param": param,
        "can_create": perms.can_create_decision(viewer, space),
    }
