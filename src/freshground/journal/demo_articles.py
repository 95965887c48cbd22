"""Demo original writing: a few articles in every state of the workflow, and link posts. Idempotent.

Everything goes through the services (revisions, submissions, review notes, items), so the demo shows what the site
really does: one article reviewed and published by a center (with a note and a second revision), one published by a
circle, one in review, one draft, one under its author's own name; and several shared links. The links' titles and
summaries are written here instead of fetched: the demo never reaches outside servers.
"""

from __future__ import annotations

from dataclasses import dataclass

from freshground.journal import links, services_articles
from freshground.journal.models import Article, LinkPost
from freshground.journal.urls_canonical import canonical_url
from freshground.network.models import Center, CenterEditor, Circle, Membership, Role
from freshground.people.models import Person

STRIKE = """The ward staff at Riverside walked out on a Tuesday morning, and by Friday the hospital trust had put a
new offer on the table. That speed surprised almost everyone, including the strikers.

Three things made the difference. First, the strike committee had spent two months mapping every ward, so that
when the day came each picket line knew who was covering emergencies and who was not. Second, the patients'
group organised its own rally outside the main entrance[^1]. Third, the catering and cleaning staff, employed by an
outside contractor, struck on the same days.

## What we would do differently

We underestimated how much time the hardship fund would take. Next time a separate group should run it from the
first day, so that the committee can concentrate on negotiations.

| Week | Strike days | Hardship payments |
|------|-------------|-------------------|
| 1    | 2           | 41                |
| 2    | 3           | 96                |

[^1]: About 300 people came, according to the local paper; our own count was closer to 400.
"""

HOUSING = """Every tenants' union in the city has the same problem: the landlords know each other, and we do not.

The new tenants' network is an attempt to change that. Each building sends one delegate to a monthly assembly;
the assembly keeps a shared list of repairs refused, rent rises and evictions, so that a landlord who tries the same
trick in three buildings meets one campaign instead of three[^data].

It is slow work. But the first rent strike it supported ended with every repair done within six weeks.

[^data]: The list is kept by the delegates and shared with member buildings only.
"""

READING = """Few books about the labour movement are as readable as this one, and fewer still are as useful.

The author spent a decade organising warehouse workers, and it shows: the chapters on one-to-one conversations and
on mapping a workplace are practical enough to use next week. The historical chapters are weaker[^1].

[^1]: The chapter on the 1970s relies almost entirely on one memoir.
"""

CLIMATE = """A just transition is not a slogan we can borrow from the climate movement without doing the work.

For the bus depot, it means asking drivers what electrification changes in their day: charging breaks, new routes,
retraining. This draft collects what we heard in twelve conversations.
"""

DRAFT = """Notes for a piece on the new transport plan: the consultation closes next month, and nobody at the depot
has read it yet.
"""


@dataclass(frozen=True)
class DemoArticle:
    title: str
    standfirst: str
    body: str
    topics: tuple[str, ...]
    licence: str
    # "center" (reviewed and published by the first center), "circle" (by the first circle), "review" (in review at
    # the second center), "own" (under the author's name), "draft".
    outcome: str
    author_index: int


ARTICLES = (
    DemoArticle(
        "What the Riverside strike taught us",
        "Four days on strike, a new offer on the fifth: what worked, and what we would change.",
        STRIKE,
        ("Health", "Labour"),
        "cc-by-sa-4.0",
        "center",
        0,
    ),
    DemoArticle(
        "Why tenants need a city-wide network",
        "Landlords coordinate; tenants' unions mostly do not. A proposal.",
        HOUSING,
        ("Housing",),
        "cc-by-4.0",
        "circle",
        1,
    ),
    DemoArticle(
        "A just transition at the bus depot",
        "What electrification means for drivers, in their own words.",
        CLIMATE,
        ("Climate", "Transport"),
        "cc-by-nc-sa-4.0",
        "review",
        2,
    ),
    DemoArticle(
        "Review: an organiser's handbook",
        "Practical, readable, and weakest where it turns to history.",
        READING,
        ("Labour",),
        "cc-by-4.0",
        "own",
        3,
    ),
    DemoArticle("The transport plan nobody read", "", DRAFT, ("Transport",), "cc-by-sa-4.0", "draft", 2),
)

LINKS = (
    (
        "https://www.example.org/news/2026/nurses-pay-settlement",
        "Nurses accept pay settlement after six-week dispute",
        "Union members voted by a large majority to accept the offer, which includes a one-off payment.",
        "A useful summary of the final offer, with the ballot figures.",
        ("Health",),
    ),
    (
        "https://research.example.net/reports/rent-burden-2026",
        "Rent burden report 2026",
        "One in three private tenants spends more than 40 % of their income on rent.",
        "The numbers behind every tenants' union argument this year.",
        ("Housing",),
    ),
    (
        "https://transport.example.com/consultation/bus-network",
        "Bus network consultation opens",
        "The transport authority invites comments on the proposed route changes until the end of next month.",
        "Worth reading before the depot meeting.",
        ("Transport",),
    ),
)


def _editor(center: Center) -> Person | None:
    row = CenterEditor.objects.filter(center=center).select_related("person").order_by("id").first()
    return row.person if row is not None else None


def _organiser(circle: Circle) -> Person | None:
    row = Membership.objects.filter(circle=circle, role=Role.ORGANISER).select_related("person").order_by("id").first()
    return row.person if row is not None else None


def _fresh(person: Person) -> Person:
    return Person.objects.get(pk=person.pk)


def load_demo_articles(people: dict[str, Person], circles: dict[str, Circle], centers: dict[str, Center]) -> int:
    """Create the demo articles and links that are missing; returns how many were created."""
    authors = [p for p in people.values() if p.is_active]
    center_list = [c for c in centers.values() if _editor(c) is not None]
    circle_list = [c for c in circles.values() if _organiser(c) is not None]
    if not authors:
        return 0
    created = 0
    for spec in ARTICLES:
        if Article.objects.filter(title=spec.title).exists():
            continue
        author = _fresh(authors[spec.author_index % len(authors)])
        article = services_articles.create_article(
            author,
            title=spec.title,
            standfirst=spec.standfirst,
            body=spec.body,
            licence=spec.licence,
            language="en",
            topics=list(spec.topics),
        )
        created += 1
        if spec.outcome == "own":
            services_articles.publish_own(author, article)
        elif spec.outcome == "center" and center_list:
            center = center_list[0]
            editor = _editor(center)
            [submission] = services_articles.submit(author, article, centers=[center])
            if editor is not None and editor.pk != author.pk:
                services_articles.add_note(
                    _fresh(editor), submission, text="Strong piece. Could you add the hardship fund figures?"
                )
                services_articles.update_article(
                    author, article, title=spec.title, standfirst=spec.standfirst, body=spec.body
                )
                services_articles.add_note(author, submission, text="Added a table with the figures.")
            if editor is not None:
                services_articles.publish_submission(_fresh(editor), submission, note="Published. Thank you!")
        elif spec.outcome == "circle" and circle_list:
            circle = circle_list[0]
            organiser = _organiser(circle)
            [submission] = services_articles.submit(author, article, circles=[circle])
            if organiser is not None:
                services_articles.publish_submission(_fresh(organiser), submission)
        elif spec.outcome == "review" and center_list:
            center = center_list[-1]
            editor = _editor(center)
            [submission] = services_articles.submit(author, article, centers=[center])
            if editor is not None and editor.pk != author.pk:
                services_articles.add_note(
                    _fresh(editor), submission, text="Promising. Can we hear from more drivers before we publish?"
                )
    for index, (url, title, summary, comment, topics) in enumerate(LINKS):
        if LinkPost.objects.filter(url=canonical_url(url)).exists():
            continue
        sharer = _fresh(authors[(index + 1) % len(authors)])
        result = links.share(sharer, url=url, comment=comment, topics=list(topics), fetch=False)
        link = result.link
        link.title, link.summary = title, summary
        link.save(update_fields=["title", "summary"])
        links.sync_link_item(link)
        created += 1
    return created
