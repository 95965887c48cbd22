"""The site loads nothing from outside and tells browsers so."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

SRC = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("url_name", ["home", "network:directory", "account_login"])
def test_pages_send_a_strict_content_security_policy(client, db, url_name):
    response = client.get(reverse(url_name))
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].split()[0] == "'self'"
    assert "unsafe-inline" not in policy
    assert "http" not in policy  # no outside origin is allowed anywhere
    assert directives["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_no_template_loads_an_outside_resource():
    """Scripts, styles, fonts and images come from our own static files only (no CDN, no outside fonts)."""
    outside = re.compile(r"""<(script|link|img|iframe|source|video|audio)\b[^>]*\b(src|href)=["']?(https?:)?//""", re.I)
    offenders = [
        str(path.relative_to(SRC)) for path in SRC.rglob("*.html") if outside.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_no_inline_script_in_templates():
    """The policy forbids inline scripts; a template that used one would silently break."""
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    offenders = [str(p.relative_to(SRC)) for p in SRC.rglob("*.html") if inline.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
