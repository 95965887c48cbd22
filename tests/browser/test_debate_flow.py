"""Issue 5's browser story: a debate across circle lines, a flag, a moderator's hide, the author told, a summary.

An organiser of one circle opens a debate in its name through the form with two positions and argues for one; a
member of another circle argues against it, finds the first argument convincing and comments; the opener replies. A
third person flags the comment with a reason. Another organiser of the debate's circle hears of the flag through the
bell, hides the comment from the circle's moderation queue with a reason; the thread shows it hidden. Its author
finds out through the bell what happened and why, without learning who flagged. The moderator closes the debate with
a summary, and the debate's page shows it closed with the summary.
"""

from __future__ import annotations

import re

import pytest
from browser_support import submit
from playwright.sync_api import expect

from freshground.debate.models import Argument, Comment, Debate
from freshground.moderation.models import Flag
from freshground.network.models import Role
from freshground.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Should tenant unions and student groups run one joint rent campaign?"
JOINT = "One joint campaign"
SEPARATE = "Separate campaigns that coordinate"
FOR_ARGUMENT = "Landlords own both our blocks: one campaign makes **one** demand they cannot split."
AGAINST_ARGUMENT = "Students leave every June; a joint campaign loses its memory each summer."
COMMENT = "Honestly, anyone who thinks the tenants will carry us is a fool."
REPLY = "We kept a rent strike going for three summers: memory is a choice, not a season."
FLAG_TEXT = "Calls people fools instead of arguing."
HIDE_REASON = "Insults another member: argue with the point, not the people."


def log_in_with_the_form(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    submit(page, "#id_login")
    expect(page.locator(".account-nav")).to_contain_text("Log out")


def signed_in_page(new_browsing, person):
    browsing = new_browsing()
    browsing.log_in_as(person)
    return browsing.new_page()


def position_section(page, title: str):
    return page.locator("main section.position").filter(has=page.get_by_role("heading", name=title, exact=True))


def comment_by_body(page, body: str):
    return page.locator("main article.comment").filter(has_text=body).last


def test_a_debate_across_circles_is_argued_flagged_moderated_and_closed_with_a_summary(new_browsing):
    tenants = factories.CircleFactory(name="Leeds Tenants Union", place_name="Leeds")
    students = factories.CircleFactory(name="Hyde Park Students", place_name="Leeds")
    opener = factories.PersonFactory(display_name="Ana Opener")
    factories.add_member(tenants, opener, Role.ORGANISER)
    moderator = factories.PersonFactory(display_name="Mo Moderator")
    factories.add_member(tenants, moderator, Role.ORGANISER)
    student = factories.PersonFactory(display_name="Ben Student")
    factories.add_member(students, student)
    flagger = factories.PersonFactory(display_name="Cy Flagger")

    # 1. The opener signs in through the form and opens the debate in the circle's name with two positions.
    page = new_browsing().new_page()
    log_in_with_the_form(page, opener.email, factories.PASSWORD)
    page.goto("/debates/")
    page.locator("main").get_by_role("link", name="Open a debate").click()
    page.wait_for_url("**/debates/new/")
    page.get_by_label("Open it in the name of").select_option(label=tenants.name)
    page.get_by_label("Question").fill(QUESTION)
    page.get_by_label("Opening statement").fill("Both of us face the **same three landlords**. Do we fight together?")
    page.get_by_label("Positions to start with").fill(f"{JOINT}\n{SEPARATE}")
    submit(page, "#id_question")
    debate = Debate.objects.get(question=QUESTION)
    assert page.url.endswith(f"/debates/{debate.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(QUESTION)
    expect(page.locator("main")).to_contain_text("The debate is open.")
    head = page.locator("main header.page-head")
    expect(head.locator(".badge")).to_have_text("open")
    expect(head.get_by_role("link", name=tenants.name, exact=True)).to_be_visible()
    opening = page.get_by_role("region", name="Opening statement")
    expect(opening.locator("strong")).to_have_text("same three landlords")
    for title in (JOINT, SEPARATE):
        expect(position_section(page, title)).to_be_visible()

    # The opener argues for the joint campaign, showing their circle beside the argument.
    position_section(page, JOINT).get_by_role("link", name="Argue for").click()
    page.wait_for_url(re.compile(r"/arguments/new/\?position=\d+&side=for"))
    expect(page.get_by_label("Position")).to_have_value(str(debate.positions.get(title=JOINT).pk))
    expect(page.get_by_label("for", exact=True)).to_be_checked()
    page.get_by_label("Your argument").fill(FOR_ARGUMENT)
    page.get_by_label(tenants.name, exact=True).check()
    submit(page, "#id_body")
    for_argument = Argument.objects.get(debate=debate, author=opener)
    assert page.url.endswith(f"/arguments/{for_argument.pk}/")
    expect(page.locator("main")).to_contain_text("Your argument is in the debate.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"For “{JOINT}”")
    card = page.locator(f"#argument-{for_argument.pk}")
    expect(card.get_by_role("link", name=tenants.name, exact=True)).to_be_visible()
    expect(card.locator(".prose strong")).to_have_text("one")
    # Nobody marks their own argument convincing.
    expect(card.get_by_role("button", name="I find this convincing")).to_have_count(0)

    # 2. A member of another circle argues against it ...
    student_page = signed_in_page(new_browsing, student)
    student_page.goto(debate.get_absolute_url())
    joint = position_section(student_page, JOINT)
    expect(joint.locator(f"#argument-{for_argument.pk}")).to_contain_text("Nobody has marked it convincing yet.")
    joint.get_by_role("link", name="Argue against").click()
    student_page.wait_for_url(re.compile(r"/arguments/new/\?position=\d+&side=against"))
    expect(student_page.get_by_label("against", exact=True)).to_be_checked()
    student_page.get_by_label("Your argument").fill(AGAINST_ARGUMENT)
    student_page.get_by_label(students.name, exact=True).check()
    submit(student_page, "#id_body")
    against_argument = Argument.objects.get(debate=debate, author=student)
    assert against_argument.side == "against"
    expect(student_page.locator("main")).to_contain_text("Your argument is in the debate.")

    # ... and finds the opener's argument convincing, on the debate's page (htmx swaps the mark in place).
    student_page.goto(debate.get_absolute_url())
    joint = position_section(student_page, JOINT)
    expect(joint.locator(f"#argument-{against_argument.pk}")).to_contain_text(AGAINST_ARGUMENT)
    expect(joint.locator(f"#argument-{against_argument.pk}").get_by_role("link", name=students.name)).to_be_visible()
    opener_card = joint.locator(f"#argument-{for_argument.pk}")
    opener_card.get_by_role("button", name="I find this convincing").click()
    expect(opener_card.get_by_role("button", name="Convincing ✓ (undo)")).to_have_attribute("aria-pressed", "true")
    expect(opener_card).to_contain_text("Found convincing by 1 person from 1 circle or center")
    student_page.reload()
    expect(position_section(student_page, JOINT).locator(f"#argument-{for_argument.pk}")).to_contain_text(
        "Found convincing by 1 person from 1 circle or center"
    )

    # They comment in the debate's thread.
    thread = student_page.locator("main section.comments")
    thread.get_by_label("Your comment").fill(COMMENT)
    thread.get_by_role("button", name="Post comment").click()
    expect(comment_by_body(student_page, COMMENT)).to_be_visible()
    comment = Comment.objects.get(author=student)
    student_page.reload()
    expect(student_page.locator("main section.comments h2")).to_have_text("1 comment")
    expect(comment_by_body(student_page, COMMENT).locator(".comment-author")).to_have_text(student.display_name)

    # The opener sees the new argument against theirs and replies to the comment.
    page.goto(debate.get_absolute_url())
    expect(position_section(page, JOINT).locator(f"#argument-{against_argument.pk}")).to_contain_text(AGAINST_ARGUMENT)
    their_comment = comment_by_body(page, COMMENT)
    their_comment.locator(".comment-actions").get_by_role("link", name="Reply", exact=True).click()
    reply_box = page.locator(f"#reply-slot-{comment.pk}")
    reply_box.get_by_label("Your reply").fill(REPLY)
    reply_box.get_by_role("button", name="Reply", exact=True).click()
    expect(page.locator(f"#comment-{comment.pk} .comment-replies")).to_contain_text(REPLY)
    reply = Comment.objects.get(author=opener)
    assert reply.parent_id == comment.pk
    page.reload()
    expect(page.locator("main section.comments h2")).to_have_text("2 comments")
    expect(comment_by_body(page, REPLY)).to_be_visible()

    # 3. A third person flags the comment through its "Flag" link, with a reason.
    flagger_page = signed_in_page(new_browsing, flagger)
    flagger_page.goto(debate.get_absolute_url())
    offending = flagger_page.locator("main article.comment").filter(has_text=COMMENT).first
    offending.locator(".comment-actions").get_by_role("link", name="Flag", exact=True).first.click()
    flagger_page.wait_for_url(f"**/moderation/flag/debate.comment/{comment.pk}/**")
    expect(flagger_page.get_by_role("heading", level=1)).to_have_text("Flag for moderators")
    flagger_page.get_by_label("Harassment, insults or threats").check()
    flagger_page.get_by_label(re.compile("What is wrong")).fill(FLAG_TEXT)
    flagger_page.get_by_role("button", name="Send to the moderators").click()
    expect(flagger_page.locator("main [role=status]")).to_contain_text("The moderators will look at it")
    flag = Flag.objects.get()
    assert (flag.flagger_id, flag.object_id) == (flagger.pk, comment.pk)

    # 4. The other organiser of the debate's circle hears of it through the bell and opens the circle's queue.
    mod_page = signed_in_page(new_browsing, moderator)
    mod_page.goto(debate.get_absolute_url())
    # (As a member of the circle they also heard of the new debate.)
    bell = mod_page.locator("#notification-bell")
    expect(bell).to_contain_text("2 unread")
    bell.get_by_role("link").click()
    mod_page.wait_for_url("**/notifications/")
    news = mod_page.locator("main .notification-list")
    expect(news).to_contain_text(f"New debate: {QUESTION}")
    news.get_by_role("link", name=f"Something was flagged in {tenants.name}: comment").click()
    mod_page.wait_for_url(f"**/moderation/circle/{tenants.slug}/queue/")
    expect(mod_page.get_by_role("heading", level=1)).to_have_text("Moderation queue")
    flagged = mod_page.locator("main li.moderation-item").filter(has_text="Flagged by 1 person")
    expect(flagged).to_contain_text("Honestly, anyone who thinks")
    expect(flagged).to_contain_text(f"Harassment, insults or threats: “{FLAG_TEXT}”")
    flagged.get_by_label("Action").select_option(label="Hide it")
    flagged.get_by_label("Reason (shown to the author)").fill(HIDE_REASON)
    flagged.get_by_role("button", name="Act", exact=True).click()
    expect(mod_page.locator("main [role=status]")).to_have_text("Done: the action is in the moderation log.")
    comment.refresh_from_db()
    assert comment.status == "hidden"
    mod_page.reload()
    expect(mod_page.locator("main")).to_contain_text("Nothing is flagged.")

    # The thread shows it hidden: the moderator may still read it, others only see that it was hidden.
    mod_page.goto(debate.get_absolute_url())
    hidden = mod_page.locator(f"#comment-{comment.pk}")
    expect(hidden.locator(".comment-stand-in")).to_have_text("Hidden by moderators.")
    expect(hidden).to_contain_text(HIDE_REASON)
    expect(hidden.get_by_text("Show the hidden text (moderators)")).to_be_visible()
    flagger_page.goto(debate.get_absolute_url())
    hidden_for_others = flagger_page.locator(f"#comment-{comment.pk}")
    expect(hidden_for_others.locator(".comment-stand-in")).to_have_text("Hidden by moderators.")
    expect(flagger_page.locator("main section.comments")).not_to_contain_text(COMMENT)
    expect(flagger_page.locator("main section.comments")).to_contain_text(REPLY)

    # 5. The author finds out through the bell what happened and why, but not who flagged.
    student_page.goto(debate.get_absolute_url())
    author_bell = student_page.locator("#notification-bell")
    expect(author_bell).to_contain_text("unread")
    author_bell.get_by_role("link").click()
    student_page.wait_for_url("**/notifications/")
    told = student_page.locator("main .notification-list li").filter(has_text="A moderator hid your comment")
    expect(told).to_have_count(1)
    expect(told).to_contain_text(f"Reason: {HIDE_REASON}")
    expect(told.locator(".badge")).to_have_text("new")
    expect(student_page.locator("main")).not_to_contain_text(flagger.display_name)
    # The reply told them too.
    expect(student_page.locator("main .notification-list")).to_contain_text(
        f"{opener.display_name} replied to your comment"
    )
    # Following it leads to the decisions about them: what, where, why, and a way to appeal.
    told.get_by_role("link", name=re.compile("A moderator hid your comment")).click()
    student_page.wait_for_url("**/moderation/me/**")
    expect(student_page.get_by_role("heading", level=1)).to_have_text("Moderation decisions about me")
    decision = student_page.locator("main .moderation-list li").first
    expect(decision).to_contain_text("Honestly, anyone who thinks")
    expect(decision).to_contain_text(tenants.name)
    expect(decision).to_contain_text(f"Why: {HIDE_REASON}")
    expect(decision.get_by_role("link", name="Appeal this decision")).to_be_visible()
    expect(student_page.locator("main")).not_to_contain_text(flagger.display_name)
    expect(student_page.locator("#notification-bell")).to_contain_text("unread")  # the reply is still unread
    # In the thread they see their comment hidden (the reason under it is shown to moderators only).
    student_page.goto(debate.get_absolute_url())
    own = student_page.locator(f"#comment-{comment.pk}")
    expect(own.locator(".comment-stand-in")).to_have_text("Hidden by moderators.")
    expect(own).not_to_contain_text(COMMENT)

    # 6. The moderator closes the debate with a summary.
    mod_page.locator("main header.page-head").get_by_role("link", name="Close with a summary").click()
    mod_page.wait_for_url(f"**/debates/{debate.slug}/close/")
    expect(mod_page.get_by_role("heading", level=1)).to_have_text("Close the debate with a summary")
    mod_page.get_by_label("The main positions").fill("A joint campaign, or separate campaigns that coordinate.")
    mod_page.get_by_label("Where people agreed").fill("The landlords are the same; the demand should be the same.")
    mod_page.get_by_label("What remains open").fill("How to keep a joint campaign alive over the summer.")
    submit(mod_page, "#id_positions")
    assert mod_page.url.endswith(f"/debates/{debate.slug}/")
    expect(mod_page.locator("main")).to_contain_text("The debate is closed with its summary.")
    expect(mod_page.locator("main header.page-head .badge")).to_have_text("closed")
    summary = mod_page.locator("main section.debate-summary")
    expect(summary.get_by_role("heading", name="Summary")).to_be_visible()
    expect(summary).to_contain_text("Version 1")
    expect(summary).to_contain_text("A joint campaign, or separate campaigns that coordinate.")
    expect(summary).to_contain_text("The landlords are the same; the demand should be the same.")
    expect(summary).to_contain_text("How to keep a joint campaign alive over the summer.")

    # Everyone sees it closed: no more arguing or marking.
    student_page.reload()
    expect(student_page.locator("main header.page-head .badge")).to_have_text("closed")
    expect(student_page.locator("main section.debate-summary")).to_contain_text("What remains open")
    expect(student_page.get_by_role("link", name="Argue against")).to_have_count(0)
    expect(student_page.get_by_role("button", name=re.compile("convincing", re.IGNORECASE))).to_have_count(0)
    debate.refresh_from_db()
    assert not debate.is_open
