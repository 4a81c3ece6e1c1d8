"""Addresses of pages found by a slug, without a full ``reverse()`` each.

A list page links every card to its item, its unit and its category: three
dozen ``reverse()`` calls, each matching the route's pattern again. The
address of a slug route differs only in the slug, so each route is reversed
once (per script prefix and URLconf) with a placeholder, and the slug is put
in its place.
"""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_PLACEHOLDER = "slug-placeholder-0"
# What a SlugField holds, and what reverse() would leave as it is.
_PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")


@functools.lru_cache(maxsize=64)
def _around_slug(view_name: str, prefix: str, urlconf: str) -> tuple[str, str]:
    head, tail = reverse(view_name, kwargs={"slug": _PLACEHOLDER}, urlconf=urlconf).split(_PLACEHOLDER)
    return head, tail


def slug_url(view_name: str, slug: str) -> str:
    """``reverse(view_name, kwargs={"slug": slug})``, faster."""
    if not _PLAIN_SLUG.match(slug):
        return reverse(view_name, kwargs={"slug": slug})
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    head, tail = _around_slug(view_name, get_script_prefix(), urlconf)
    return f"{head}{slug}{tail}"
