"""Comment pages: a thread on its own, one comment with its replies ("continue thread"), posting, replying (with
quoting), editing with history, deleting. Every form is a normal POST; htmx swaps only the part that changed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from freshground.core.content import ContentKind, label_of, resolve
from freshground.core.exceptions import DomainError
from freshground.core.forms import apply_domain_error
from freshground.debate import permissions_comments as perms
from freshground.debate import queries_comments as queries
from freshground.debate import services_comments as services
from freshground.debate.forms_comments import CommentForm, EditForm, quote
from freshground.debate.models import Comment
from freshground.debate.paragraphs import is_paragraph_key
from freshground.network.views._common import is_htmx, person_of, raise_refusal, safe_next, signed_in

# Query-string parameters of a thread; `thread` says which thread they are for when a page shows several.
THREAD_PARAM = "thread"
CURSOR_PARAM = "after"
PARAGRAPH_PARAM = "paragraph"


def _thread_params(request: HttpRequest | None, key: str) -> tuple[str, str]:
    if request is None:
        return "", ""
    wanted = request.GET.get(THREAD_PARAM, "")
    if wanted and wanted != key:
        return "", ""
    paragraph = request.GET.get(PARAGRAPH_PARAM, "")
    return request.GET.get(CURSOR_PARAM, ""), paragraph if is_paragraph_key(paragraph) else ""


def thread_context(request: HttpRequest | None, target: Model) -> dict[str, Any] | None:
    """Everything `debate/comment_thread.html` needs for `target`, or None when there is no thread to show."""
    viewer = getattr(request, "user", None)
    cursor, paragraph = _thread_params(request, f"{label_of(target)}:{target.pk}")
    thread = queries.thread_page(viewer, target, cursor=cursor, paragraph=paragraph)
    if thread is None:
        return None
    form = None
    if thread.can_post:
        form = CommentForm(author=viewer, prefix_id=thread.dom_id, initial={"paragraph": paragraph})
    next_url = request.get_full_path() if request is not None else thread.url
    return {"thread": thread, "form": form, "next": next_url, "request": request, "user": viewer}


def _target(label: str, object_id: int, request: HttpRequest) -> tuple[ContentKind, Model]:
    found = resolve(label, object_id)
    if found is None or not perms.can_view_thread(request.user, found[0], found[1]):
        raise Http404(_("There is nothing to comment on at this address."))
    return found


def _comment(pk: int) -> Comment:
    comment = queries.comment_by_pk(pk)
    if comment is None:
        raise Http404(_("There is no such comment."))
    return comment


def _sub_thread(request: HttpRequest, comment: Comment) -> queries.SubThread:
    found = queries.sub_thread(request.user, comment)
    if found is None:
        raise Http404(_("There is no such comment."))
    return found


def _next(request: HttpRequest, fallback: str) -> str:
    return safe_next(request, request.POST.get("next") or request.GET.get("next")) or fallback


@require_GET
def thread(request: HttpRequest, label: str, object_id: int) -> HttpResponse:
    kind, target = _target(label, object_id, request)
    return TemplateResponse(
        request,
        "debate/comment_page.html",
        {"target": target, "kind": kind, "title": kind.title_of(target), "target_url": kind.url_of(target)},
    )


def _item_response(request: HttpRequest, comment: Comment, *, wrap: str, form: Any = None) -> HttpResponse:
    sub = _sub_thread(request, comment)
    html = render_to_string(
        "debate/comment_new.html",
        {"node": sub.node, "wrap": wrap, "form": form, "thread": sub.thread, "next": _next(request, sub.thread.url)},
        request=request,
    )
    return HttpResponse(html)


def _posted(request: HttpRequest, comment: Comment) -> None:
    if comment.status == "pending":
        messages.info(request, _("Thanks. Your comment waits for a moderator's approval before others see it."))
    else:
        messages.success(request, _("Your comment is posted."))


@require_POST
@signed_in
def comment_post(request: HttpRequest, label: str, object_id: int) -> HttpResponse:
    kind, target = _target(label, object_id, request)
    person = person_of(request)
    dom_id = f"thread-{label.replace('.', '-')}-{object_id}"
    form = CommentForm(request.POST, author=person, prefix_id=dom_id)
    if form.is_valid():
        try:
            comment = services.post_comment(
                author=person,
                target=target,
                body=form.cleaned_data["body"],
                paragraph=form.cleaned_data.get("paragraph") or "",
                shown_circles=form.chosen_circles(),
            )
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            if is_htmx(request):
                fresh = CommentForm(
                    author=person, prefix_id=dom_id, initial={"paragraph": form.cleaned_data.get("paragraph")}
                )
                return _item_response(request, comment, wrap="li", form=fresh)
            _posted(request, comment)
            return redirect(f"{_next(request, reverse('debate:thread', args=[label, object_id]))}#comment-{comment.pk}")
    context = {
        "form": form,
        "action": reverse("debate:comment_post", args=[label, object_id]),
        "form_id": f"{dom_id}-form",
        "target_id": f"{dom_id}-list",
        "next": _next(request, reverse("debate:thread", args=[label, object_id])),
        "title": kind.title_of(target),
        "target": target,
        "target_url": kind.url_of(target),
        "kind": kind,
    }
    if is_htmx(request):
        response = TemplateResponse(request, "debate/comment_form.html", context)
        return reswap(retarget(response, f"#{dom_id}-form"), "outerHTML")
    return TemplateResponse(request, "debate/comment_reply.html", context, status=400)


@require_GET
def comment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _sub_thread(request, _comment(pk))
    return TemplateResponse(request, "debate/comment_detail.html", {"sub": sub, "thread": sub.thread})


@require_http_methods(["GET", "POST"])
@signed_in
def comment_reply(request: HttpRequest, pk: int) -> HttpResponse:
    parent = _comment(pk)
    sub = _sub_thread(request, parent)
    person = person_of(request)
    if not (sub.node.can_reply and sub.thread.can_post):
        raise DjangoPermissionDenied(_("You cannot reply to this comment."))
    initial: dict[str, Any] = {}
    if request.GET.get("quote") and sub.node.readable:
        name = parent.author.display_name if parent.author is not None else ""
        initial["body"] = quote(parent.body, name)
    form = CommentForm(request.POST or None, author=person, prefix_id=f"reply-{pk}", initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.post_comment(
                author=person,
                target=sub.thread.target,
                parent=parent,
                body=form.cleaned_data["body"],
                shown_circles=form.chosen_circles(),
            )
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            if is_htmx(request):
                return _item_response(request, comment, wrap="ol")
            _posted(request, comment)
            return redirect(f"{_next(request, parent.get_absolute_url())}#comment-{comment.pk}")
    action = reverse("debate:comment_reply", args=[pk])
    context = {
        "form": form,
        "action": action,
        "form_id": f"reply-form-{pk}",
        "target_id": f"reply-slot-{pk}",
        "reply_to": sub.node,
        "next": _next(request, parent.get_absolute_url()),
        "title": sub.thread.title,
        "target": sub.thread.target,
        "target_url": sub.thread.target_url,
        "kind": sub.thread.kind,
        "thread": sub.thread,
    }
    if is_htmx(request):
        return TemplateResponse(request, "debate/comment_form.html", context)
    return TemplateResponse(request, "debate/comment_reply.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@signed_in
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(pk)
    sub = _sub_thread(request, comment)
    person = person_of(request)
    if not perms.can_edit_comment(person, comment):
        raise DjangoPermissionDenied(_("Only its author can edit this comment."))
    form = EditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_comment(actor=person, comment=comment, body=form.cleaned_data["body"])
        except DomainError as error:
            raise_refusal(error)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Your comment is changed. The earlier text stays in its history."))
            return redirect(f"{comment.get_absolute_url()}#comment-{comment.pk}")
    return TemplateResponse(
        request,
        "debate/comment_edit.html",
        {"form": form, "comment": comment, "thread": sub.thread},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@signed_in
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(pk)
    sub = _sub_thread(request, comment)
    person = person_of(request)
    if not perms.can_delete_comment(person, comment):
        raise DjangoPermissionDenied(_("Only its author can delete this comment."))
    if request.method == "POST":
        try:
            services.delete_comment(actor=person, comment=comment)
        except DomainError as error:
            raise_refusal(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your comment is deleted. Replies to it stay in the thread."))
        return redirect(f"{_next(request, comment.get_absolute_url())}#comment-{comment.pk}")
    return TemplateResponse(request, "debate/comment_delete.html", {"comment": comment, "thread": sub.thread})


@require_GET
def comment_history(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(pk)
    sub = _sub_thread(request, comment)
    if not sub.node.readable:
        raise Http404(_("There is no such comment."))
    context = {"comment": comment, "thread": sub.thread, "revisions": queries.revisions_of(comment)}
    return TemplateResponse(request, "debate/comment_history.html", context)
