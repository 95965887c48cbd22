"""Articles' Markdown: CommonMark, tables, footnotes, our own images only, and nothing dangerous gets through."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from freshground.journal.markdown import image_url_prefix, render_html, sanitise

XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "![x](javascript:alert(1))",
    '<a href="https://e.example" onclick="alert(1)">x</a>',
    "<iframe src=https://evil.example></iframe>",
    "<svg onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "[x](vbscript:msgbox(1))",
    "<<script>script>alert(1)<</script>/script>",
    '[x](https://ok.example "title\\" onmouseover=\\"alert(1)")',
    "![x](https://evil.example/track.gif)",
    "![x](//evil.example/track.gif)",
    "<style>body{display:none}</style>",
    "<form action=https://evil.example><input name=x></form>",
    "[^1]\n\n[^1]: <script>alert(1)</script> [y](javascript:alert(2))",
]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {k: v or "" for k, v in attrs}))


def tags_of(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("source", XSS)
def test_nothing_dangerous_survives(source):
    html = render_html(source)
    for tag, attrs in tags_of(html):
        assert tag not in {"script", "iframe", "svg", "style", "form", "input", "div"}, html
        assert not any(name.startswith("on") or name == "style" for name in attrs), html
        for name in ("href", "src"):
            value = attrs.get(name, "").strip().lower()
            assert not value.startswith(("javascript:", "vbscript:", "data:")), html
        if tag == "img":
            assert attrs["src"].startswith(image_url_prefix()), html


def test_commonmark_and_tables():
    html = render_html("## Heading\n\n*em* **strong**\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<h2>Heading</h2>" in html
    assert "<em>em</em>" in html
    assert "<strong>strong</strong>" in html
    assert "<table>" in html
    assert "<td>1</td>" in html


def test_links_are_nofollow():
    html = render_html("[site](https://example.org)")
    assert 'href="https://example.org"' in html
    assert "nofollow" in html


def test_footnotes_numbered_with_links_both_ways():
    source = "Wages fell[^w] and rents rose[^r]. Again[^w].\n\n[^r]: Rent survey 2025.\n[^w]: ONS, *table 3*.\n"
    html = render_html(source)
    assert '<sup class="footnote-ref"><a href="#fn-1" id="fnref-1"' in html
    assert '<a href="#fn-2" id="fnref-2"' in html
    assert 'id="fnref-1-2"' in html
    assert '<section class="footnotes"' in html
    assert html.index('id="fn-1"') < html.index('id="fn-2"')
    assert "<em>table 3</em>" in html
    assert 'href="#fnref-1"' in html
    assert "[^w]" not in html


def test_footnote_continuation_and_unknown_reference():
    html = render_html("A[^1] and B[^nope].\n\n[^1]: First line\n    second line.\n")
    assert "second line" in html
    assert "[^nope]" in html


def test_footnote_syntax_inside_code_is_left_alone():
    html = render_html("```\n[^1]: not a note\n```\n\n`[^1]`\n")
    assert "[^1]: not a note" in html
    assert "footnotes" not in html


def test_own_images_kept_others_dropped():
    ours = f"{image_url_prefix()}abc123.jpg"
    html = render_html(f"![A march]({ours})\n\n![tracker](https://evil.example/t.gif)")
    assert f'<img src="{ours}" alt="A march">' in html
    assert "evil.example" not in html


def test_user_cannot_forge_ids_or_classes():
    assert "&lt;a id" in render_html('<a id="fn-1">x</a>')  # raw HTML is text
    html = sanitise('<a href="#x" id="main" class="button">x</a><p id="fn-1">y</p>')
    assert 'id="main"' not in html
    assert "button" not in html
    assert "<p id" not in html
