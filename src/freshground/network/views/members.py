"""Members and requests, invitation links and accepting an invitation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from freshground.core.exceptions import DomainError
from freshground.core.forms import apply_domain_error
from freshground.network import permissions as perms
from freshground.network import queries, services
from freshground.network.forms import InviteForm, MemberActionForm
from freshground.network.models import Circle, Role
from freshground.network.views._common import (
    get_circle,
    login_redirect,
    person_of,
    raise_refusal,
    report,
    signed_in,
)
from freshground.people.models import Person


@require_http_methods(["GET", "POST"])
def circle_members(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_circle(slug)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return login_redirect(request, reverse("network:circle_members", args=[slug]))
        return _member_action(request, found)
    page = queries.members_page(request.user, found, request.GET.get("page"))
    return TemplateResponse(request, "network/circle_members.html", {"circle": found, "page": page})


def _member_action(request: HttpRequest, found: Circle) -> HttpResponse:
    person = person_of(request)
    if not perms.can_manage_members(person, found):
        raise DjangoPermissionDenied(_("Only the circle's organisers can manage its members."))
    back = redirect("network:circle_members", found.slug)
    form = MemberActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That action could not be understood."))
        return back
    action, target = form.cleaned_data["action"], form.cleaned_data["target"]
    try:
        if action in ("approve", "decline"):
            join_request = queries.join_request_in(found, target)
            if join_request is None:
                raise Http404(_("There is no such request."))
            services.decide_join_request(person=person, join_request=join_request, approve=action == "approve")
            name = join_request.person.display_name
            if action == "approve":
                messages.success(request, _("%(name)s is now a member.") % {"name": name})
            else:
                messages.success(request, _("The request from %(name)s is declined.") % {"name": name})
            return back
        member = queries.member_of(found, target)
        if member is None:
            raise Http404(_("That person is not a member of this circle."))
        _change_member(request, person, found, member, action)
    except DomainError as error:
        report(request, error)
    return back


def _change_member(request: HttpRequest, person: Person, found: Circle, member: Person, action: str) -> None:
    name = member.display_name
    if action == "remove":
        services.remove_member(person=person, circle=found, member=member)
        messages.success(request, _("%(name)s is no longer a member.") % {"name": name})
    elif action == "promote":
        services.set_role(person=person, circle=found, member=member, role=Role.ORGANISER)
        messages.success(request, _("%(name)s is now an organiser.") % {"name": name})
    else:
        services.set_role(person=person, circle=found, member=member, role=Role.MEMBER)
        messages.success(request, _("%(name)s is now a member without organiser tools.") % {"name": name})


@require_http_methods(["GET", "POST"])
@signed_in
def circle_invites(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_circle(slug)
    person = person_of(request)
    if not perms.can_manage_members(person, found):
        raise DjangoPermissionDenied(_("Only the circle's organisers can make invitation links."))
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invite = services.create_invite(person=person, circle=found, **form.cleaned_data)
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            link = request.build_absolute_uri(invite.get_absolute_url())
            messages.success(request, _("New invitation link: %(link)s") % {"link": link})
            return redirect("network:circle_invites", found.slug)
    invites = [(invite, request.build_absolute_uri(invite.get_absolute_url())) for invite in queries.invites_of(found)]
    return TemplateResponse(request, "network/circle_invites.html", {"circle": found, "form": form, "invites": invites})


@require_POST
@signed_in
def invite_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = get_circle(slug)
    invite = queries.invite_in(found, pk)
    if invite is None:
        raise Http404(_("There is no such invitation link."))
    try:
        services.revoke_invite(person=person_of(request), invite=invite)
    except DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("The invitation link is withdrawn: it no longer works."))
    return redirect("network:circle_invites", found.slug)


@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, token: str) -> HttpResponse:
    found = queries.invite_by_token(token)
    if found is None or not found.is_usable:
        return TemplateResponse(request, "network/invite_unusable.html", {}, status=404)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return login_redirect(request, found.get_absolute_url())
        try:
            services.accept_invite(person=person_of(request), token=token)
        except DomainError as error:
            report(request, error)
            return redirect(found)
        messages.success(request, _("Welcome to %(circle)s.") % {"circle": found.circle.name})
        return redirect(found.circle)
    state = queries.viewer_state(request.user, found.circle)
    return TemplateResponse(request, "network/invite.html", {"invite": found, "circle": found.circle, "state": state})
