"""The one sanitiser for outside HTML: feed entries, fetched pages and rendered articles.

``clean_html(html, base_url=...)`` keeps a strict allow-list of tags and attributes (nh3, i.e. ammonia), allows
only http, https and mailto addresses, makes relative addresses absolute against ``base_url``, marks every link
``rel="noopener nofollow ugc"`` and never lets a reader's browser call an outside server: every remote image is
rewritten to the site's own image proxy (``journal:image`` with a signed token holding the outside address) or
dropped. Tracking pixels (images 1 pixel wide or high, and well-known counters) are dropped.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

import nh3
from django.core import signing
from django.urls import reverse

IMAGE_TOKEN_SALT = "freshground.journal.image"  # noqa: S105 - a salt, not a secret
MAX_URL_LENGTH = 2000
MAX_DIMENSION = 10_000

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "a",
        "em",
        "strong",
        "b",
        "i",
        "blockquote",
        "q",
        "cite",
        "ul",
        "ol",
        "li",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "code",
        "figure",
        "figcaption",
        "img",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "sup",
        "sub",
        "hr",
        "abbr",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
# Their content goes with them (the others' text is kept when the tag is dropped).
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "noscript", "template", "object", "embed", "svg", "math", "textarea", "select"}
)
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener nofollow ugc"
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})

# Counters that feeds embed as images; dropped whatever their size.
TRACKER_HOSTS = frozenset(
    {
        "pixel.wp.com",
        "stats.wordpress.com",
        "www.google-analytics.com",
        "google-analytics.com",
        "pixel.quantserve.com",
        "www.facebook.com",
        "pixel.mathtag.com",
        "sb.scorecardresearch.com",
        "feeds.feedburner.com",
        "feedproxy.google.com",
    }
)

_IMG = re.compile(r'<img((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*="[^"]*")*)\s*/?>')
_ATTR = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)="([^"]*)"')


def sign_image_url(url: str) -> str:
    """The token the image proxy accepts for an outside image address. No timestamp: the same address always gives
    the same token, so sanitising the same HTML twice gives the same result (content hashes stay stable)."""
    return signing.Signer(salt=IMAGE_TOKEN_SALT).sign_object(url, compress=True)


def unsign_image_url(token: str) -> str:
    """The outside address in a token; raises django.core.signing.BadSignature for anything we did not sign."""
    value = signing.Signer(salt=IMAGE_TOKEN_SALT).unsign_object(token)
    if not isinstance(value, str):
        raise signing.BadSignature("not an address")
    return value


def image_proxy_url(url: str) -> str:
    return reverse("journal:image", args=[sign_image_url(url)])


@lru_cache(maxsize=1)
def _proxy_prefix() -> str:
    """The proxy's path up to the token (the URL configuration does not change while we run)."""
    marker = "TOKEN"
    return reverse("journal:image", args=[marker]).rsplit(marker, 1)[0]


def absolute_url(value: str, base_url: str) -> str | None:
    """``value`` made absolute against ``base_url``; None when it is not an http(s)/mailto address we keep."""
    value = value.strip()
    if not value or len(value) > MAX_URL_LENGTH:
        return None
    try:
        joined = urljoin(base_url, value) if base_url else value
        parts = urlsplit(joined)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in URL_SCHEMES:
        return None
    if scheme in {"http", "https"} and not parts.hostname:
        return None
    return joined


def _is_tracker(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host in TRACKER_HOSTS:
        return True
    return "/~r/" in parts.path or "/~ff/" in parts.path


# The address relative links of the HTML being cleaned are relative to. One Cleaner serves every call (building the
# allow-list costs more than cleaning a typical entry), so its attribute filter reads the base from here; a context
# variable keeps threads that clean at the same time apart.
_BASE_URL: ContextVar[str] = ContextVar("freshground_sanitise_base_url", default="")
_DIMENSIONS = frozenset({"width", "height", "colspan", "rowspan", "start"})


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute in URL_ATTRIBUTES:
        url = absolute_url(value, _BASE_URL.get())
        if url is None:
            return None
        if tag == "img":
            if not url.lower().startswith(("http://", "https://")) or _is_tracker(url):
                return None
            return _proxy_prefix() + sign_image_url(url) + "/"
        return url
    if attribute in _DIMENSIONS:
        digits = value.strip().removesuffix("px")
        if not digits.isdigit() or int(digits) > MAX_DIMENSION:
            return None
        return str(int(digits))
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_attribute_filter,
    url_schemes=set(URL_SCHEMES),
    link_rel=LINK_REL,
    strip_comments=True,
)


def _keep_image(match: re.Match[str]) -> str:
    attrs = dict(_ATTR.findall(match.group(1)))
    if "src" not in attrs:
        return ""
    for dimension in ("width", "height"):
        if dimension in attrs and int(attrs[dimension]) <= 1:
            return ""  # a tracking pixel
    return match.group(0)


def clean_html(html: str, *, base_url: str) -> str:
    """Outside HTML reduced to what is safe to show on our pages (see the module's docstring)."""
    if not html:
        return ""
    token = _BASE_URL.set(base_url)
    try:
        cleaned = _CLEANER.clean(html)
    finally:
        _BASE_URL.reset(token)
    if "<img" in cleaned:
        cleaned = _IMG.sub(_keep_image, cleaned)
    return cleaned.strip()
