"""Pages for writing, reviewing and reading original articles, and for sharing links. Thin: services decide."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from freshground.core.exceptions import DomainError
from freshground.core.forms import apply_domain_error
from freshground.journal import diffs, links, markdown
from freshground.journal import permissions_articles as perms
from freshground.journal import queries_articles as queries
from freshground.journal import services_articles as services
from freshground.journal.forms_articles import ArticleForm, DecisionForm, NoteForm, ShareForm, SubmitForm
from freshground.journal.models import Article, ArticleImage, ArticleStatus, Licence, Submission
from freshground.network.models import Center, Circle
from freshground.network.views._common import is_htmx

LICENCE_LINKS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
    Licence.CC_BY_NC_SA: "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    Licence.CC_BY_ND: "https://creativecommons.org/licenses/by-nd/4.0/",
    Licence.CC_BY_NC_ND: "https://creativecommons.org/licenses/by-nc-nd/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


def _article_or_404(request: HttpRequest, slug: str) -> Article:
    """The article if the person may see it; a 404 otherwise (a draft's existence is not revealed)."""
    article = queries.article_by_slug(slug)
    if article is None or not perms.can_view_article(
        request.user, article, submissions=list(article.submissions.all())
    ):
        raise Http404(_("No such article."))
    return article


def _image_markdown(image: ArticleImage) -> str:
    alt = (image.alt or _("image")).replace("]", "").replace("[", "")
    return f"\n\n![{alt}]({markdown.image_url_prefix()}{(image.image.name or '').rsplit('/', 1)[-1]})\n"


def _article_form(request: HttpRequest, article: Article | None) -> HttpResponse:
    initial: dict[str, Any] = {}
    if article is not None:
        initial = {
            "title": article.title,
            "standfirst": article.standfirst,
            "body": article.body,
            "licence": article.licence,
            "language": article.language,
            "topics": [t for t in article.topics.all() if t.is_topic],
            "tags": ", ".join(t.name for t in article.topics.all() if not t.is_topic),
        }
    form = ArticleForm(request.POST or None, request.FILES or None, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        body = data["body"]
        try:
            upload = data.get("image")
            if upload is not None:
                image = services.attach_image(
                    request.user,  # type: ignore[arg-type]
                    upload=upload,
                    article=article,
                    alt=data.get("image_alt", ""),
                )
                body = body.rstrip() + _image_markdown(image)
            if "preview" in request.POST:
                data_copy = request.POST.copy()
                data_copy["body"] = body
                form = ArticleForm(data_copy, initial=initial)
                form.is_valid()
                preview = markdown.render(body)
            else:
                values = {
                    "title": data["title"],
                    "standfirst": data["standfirst"],
                    "body": body,
                    "licence": data["licence"],
                    "language": data["language"],
                    "topics": form.topic_values(),
                }
                if article is None:
                    article = services.create_article(request.user, **values)  # type: ignore[arg-type]
                else:
                    article = services.update_article(request.user, article, **values)  # type: ignore[arg-type]
                return redirect("journal:article", slug=article.slug)
        except DomainError as error:
            apply_domain_error(form, error)
    elif request.method == "POST" and "preview" in request.POST:
        preview = markdown.render(request.POST.get("body", ""))
    return render(request, "journal/article_form.html", {"form": form, "article": article, "preview": preview})


@login_required
@require_http_methods(["GET", "POST"])
def write(request: HttpRequest) -> HttpResponse:
    return _article_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, slug: str) -> HttpResponse:
    article = _article_or_404(request, slug)
    if not perms.can_edit_article(request.user, article):
        raise DjangoPermissionDenied(_("Only the author may change this article now."))
    return _article_form(request, article)


@login_required
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """The rendered text, for the editor's live preview (htmx)."""
    body = request.POST.get("body", "")[:200_000]
    return render(request, "journal/article_preview.html", {"preview": markdown.render(body)})


@require_GET
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = _article_or_404(request, slug)
    submissions = list(article.submissions.all())
    viewer = request.user
    context = {
        "article": article,
        "item": getattr(article, "item", None),
        "byline_place": article.center or article.circle,
        "licence_url": LICENCE_LINKS.get(Licence(article.licence)) if article.licence in Licence.values else None,
        "topics": list(article.topics.all()),
        "can_edit": perms.can_edit_article(viewer, article),
        "is_author": perms.is_author(viewer, article),
        "can_publish_own": perms.can_publish_own(viewer, article),
        "can_withdraw": perms.can_withdraw(viewer, article),
        "submissions": [s for s in submissions if perms.can_view_submission(viewer, s)],
        "comments_ready": _comments_ready(),
        "is_published": article.status == ArticleStatus.PUBLISHED,
    }
    return render(request, "journal/article_detail.html", context)


def _comments_ready() -> bool:
    """True once journal.item is registered as commentable in core.content (journal-reading's part)."""
    from freshground.core.content import kind_for_label

    kind = kind_for_label("journal.item")
    return kind is not None and kind.commentable


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


@require_GET
def article_history(request: HttpRequest, slug: str) -> HttpResponse:
    article = _article_or_404(request, slug)
    revisions = queries.revisions(article)
    by_number = {r.number: r for r in revisions}
    new_number = _int(request.GET.get("b")) or article.revision
    old_number = _int(request.GET.get("a")) or max(new_number - 1, 1)
    diff = None
    old, new = by_number.get(old_number), by_number.get(new_number)
    if old is not None and new is not None and old.number != new.number:
        diff = diffs.diff_revisions(old, new)
    return render(
        request,
        "journal/article_history.html",
        {"article": article, "revisions": revisions, "diff": diff, "old": old_number, "new": new_number},
    )


@login_required
@require_http_methods(["GET", "POST"])
def article_submit(request: HttpRequest, slug: str) -> HttpResponse:
    article = _article_or_404(request, slug)
    if not perms.is_author(request.user, article):
        raise DjangoPermissionDenied(_("Only the author may submit this article."))
    form = SubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(
                request.user,  # type: ignore[arg-type]
                article,
                circles=form.cleaned_data["circles"],
                centers=form.cleaned_data["centers"],
            )
            return redirect("journal:article", slug=article.slug)
        except DomainError as error:
            apply_domain_error(form, error)
    return render(request, "journal/article_submit.html", {"article": article, "form": form})


@login_required
@require_POST
def article_publish(request: HttpRequest, slug: str) -> HttpResponse:
    article = _article_or_404(request, slug)
    try:
        services.publish_own(request.user, article)  # type: ignore[arg-type]
    except DomainError as error:
        raise DjangoPermissionDenied(error.message) from error
    return redirect("journal:article", slug=article.slug)


@login_required
@require_POST
def article_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    article = _article_or_404(request, slug)
    try:
        services.withdraw(request.user, article)  # type: ignore[arg-type]
    except DomainError as error:
        raise DjangoPermissionDenied(error.message) from error
    return redirect("journal:article", slug=article.slug)


@require_GET
def article_image(request: HttpRequest, name: str) -> FileResponse:
    """An article image by its random name (re-encoded on upload, so nothing but pixels is served)."""
    path = f"journal/images/{name}"
    if "/" in name or not ArticleImage.objects.filter(image=path).exists():
        raise Http404
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(default_storage.open(path, "rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def my_articles(request: HttpRequest) -> HttpResponse:
    return render(request, "journal/article_mine.html", {"articles": list(queries.my_articles(request.user))})


@login_required
@require_GET
def desk(request: HttpRequest) -> HttpResponse:
    """One queue per place the person edits (every center they edit, every circle they organise), empty or not."""
    centers, circles = queries.edited_places(request.user)
    submissions = list(queries.desk(request.user))
    places: list[tuple[Any, list[Submission]]] = [
        (center, [s for s in submissions if s.center_id == center.pk])
        for center in Center.objects.filter(pk__in=centers).order_by("name")
    ] + [
        (circle, [s for s in submissions if s.circle_id == circle.pk])
        for circle in Circle.objects.filter(pk__in=circles).order_by("name")
    ]
    return render(request, "journal/desk_queue.html", {"places": places, "edits_anything": bool(centers or circles)})


def _submission_or_404(request: HttpRequest, pk: int) -> Submission:
    submission = queries.submission_by_pk(pk)
    if submission is None or not perms.can_view_submission(request.user, submission):
        raise Http404(_("No such submission."))
    return submission


@login_required
@require_http_methods(["GET", "POST"])
def submission(request: HttpRequest, pk: int) -> HttpResponse:
    item = _submission_or_404(request, pk)
    note_form = NoteForm(request.POST if request.POST.get("action") == "note" else None)
    decision_form = DecisionForm(request.POST if request.POST.get("action") in {"publish", "return"} else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "note" and note_form.is_valid():
                services.add_note(request.user, item, text=note_form.cleaned_data["text"])  # type: ignore[arg-type]
                return redirect("journal:submission", pk=item.pk)
            if action in {"publish", "return"} and decision_form.is_valid():
                if not perms.can_decide(request.user, item):
                    raise DjangoPermissionDenied(_("Only this place's editors decide, while it waits for them."))
                note = decision_form.cleaned_data["note"]
                if action == "publish":
                    services.publish_submission(request.user, item, note=note)  # type: ignore[arg-type]
                else:
                    services.return_submission(request.user, item, note=note)  # type: ignore[arg-type]
                return redirect("journal:submission", pk=item.pk)
            if action not in {"note", "publish", "return"}:
                raise DjangoPermissionDenied(_("Unknown action."))
        except DomainError as error:
            apply_domain_error(note_form if action == "note" else decision_form, error)
    article = item.article
    revisions = {r.number: r for r in queries.revisions(article)}
    editor_notes = [n for n in item.notes.all() if n.author_id != article.author_id]
    since = editor_notes[-1].revision if editor_notes else item.revision
    diff = None
    if since in revisions and article.revision in revisions and since != article.revision:
        diff = diffs.diff_revisions(revisions[since], revisions[article.revision])
    return render(
        request,
        "journal/desk_submission.html",
        {
            "submission": item,
            "article": article,
            "notes": list(item.notes.all()),
            "diff": diff,
            "since": since,
            "note_form": note_form,
            "decision_form": decision_form,
            "can_note": perms.can_note(request.user, item),
            "can_decide": perms.can_decide(request.user, item),
            "is_author": perms.is_author(request.user, article),
        },
    )


# Link posts


def _share_places(person: Any) -> list[tuple[str, str]]:
    centers, circles = queries.edited_places(person)
    places = [(f"center:{c.slug}", c.name) for c in Center.objects.filter(pk__in=centers).order_by("name")]
    places += [(f"circle:{c.slug}", c.name) for c in Circle.objects.filter(pk__in=circles).order_by("name")]
    return places


def _place(value: str) -> tuple[Circle | None, Center | None]:
    kind, _sep, slug = value.partition(":")
    if kind == "center":
        return None, Center.objects.filter(slug=slug).first()
    if kind == "circle":
        return Circle.objects.filter(slug=slug).first(), None
    return None, None


@login_required
@require_http_methods(["GET", "POST"])
def share(request: HttpRequest) -> HttpResponse:
    form = ShareForm(request.POST or None, places=_share_places(request.user), initial={"url": request.GET.get("url")})
    if request.method == "POST" and form.is_valid():
        circle, center = _place(form.cleaned_data["place"])
        try:
            result = links.share(
                request.user,  # type: ignore[arg-type]
                url=form.cleaned_data["url"],
                comment=form.cleaned_data["comment"],
                circle=circle,
                center=center,
                topics=form.topic_values(),
            )
            target = result.link.get_absolute_url()
            return redirect(target if result.created else f"{target}?already=1")
        except DomainError as error:
            apply_domain_error(form, error)
    return render(request, "journal/link_share.html", {"form": form})


@require_GET
def link_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A shared link. While the worker fetches its title, the page says so and (with htmx) polls its head, #link-head:
    "204 No Content" (no swap) while still fetching, then the head with the title and summary, or why they are
    missing."""
    link = queries.link_by_pk(pk)
    if link is None or not perms.can_view_link(request.user, link):
        raise Http404(_("No such link."))
    fetching = {"fetch_pending": links.fetch_pending(link), "still_fetching": links.still_fetching(link)}
    response: HttpResponse
    if is_htmx(request) and request.headers.get("HX-Target") == "link-head":
        if fetching["still_fetching"]:
            response = HttpResponse(status=204)
        else:
            response = render(request, "journal/link_head.html", {"link": link, **fetching})
    else:
        response = render(
            request,
            "journal/link_detail.html",
            {
                "link": link,
                "item": getattr(link, "item", None),
                "already": request.GET.get("already") == "1",
                "topics": list(link.topics.all()),
                "comments_ready": _comments_ready(),
                **fetching,
            },
        )
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response
