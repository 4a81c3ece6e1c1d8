"""Server-side cleaning of the HTML that CKEditor 5 sends.

The editor runs in the contributor's browser, so what arrives is whatever the
browser (or anyone posting to the form) chose to send. Only the markup our
toolbar can produce survives: paragraphs, h2/h3, bold and italic, links,
lists, block quotes, images with captions and simple tables. Everything else
(scripts, event handlers, styles, frames, ``javascript:``/``data:`` URLs) is
removed by nh3, which parses like a browser, so mutation tricks that rely on
a lenient parser do not survive either.
"""

from __future__ import annotations

import functools
import re

import nh3
from django.conf import settings

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "h2",
        "h3",
        "strong",
        "b",
        "em",
        "i",  # CKEditor 5 writes italic text as <i>
        "a",
        "ul",
        "ol",
        "li",
        "blockquote",
        "figure",
        "figcaption",
        "img",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}

# Classes CKEditor puts on figures: images (optionally resized or floated)
# and tables. Any other class is dropped.
ALLOWED_CLASSES = {
    "figure": {"image", "table", "image_resized", "image-style-side", "image-style-align-left"},
}

# Tags removed together with their content rather than unwrapped.
REMOVED_WITH_CONTENT = frozenset({"script", "style", "noscript", "template", "iframe", "object", "textarea"})

URL_SCHEMES = frozenset({"http", "https", "mailto"})

_DIMENSION = re.compile(r"^\d{1,5}$")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Second pass over the attributes nh3 already allowed: images only from
    our own media or over https, and plain numbers for sizes."""
    if tag == "img" and attribute == "src":
        media_url = settings.MEDIA_URL
        if value.startswith("https://"):
            return value
        # A protocol-relative "//host/..." would load from any host.
        if media_url and value.startswith(media_url) and not value.startswith("//"):
            return value
        return None
    if attribute in {"width", "height", "colspan", "rowspan"}:
        return value if _DIMENSION.match(value.strip()) else None
    return value


@functools.cache
def _cleaner() -> nh3.Cleaner:
    # Built on first use, not at import time; settings are read per call in
    # the attribute filter.
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        allowed_classes={tag: set(classes) for tag, classes in ALLOWED_CLASSES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def sanitize_html(html: str) -> str:
    """Return ``html`` reduced to the markup the editor may produce; safe to
    render with ``|safe``."""
    if not html:
        return ""
    return _cleaner().clean(html).strip()
