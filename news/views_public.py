"""The public news site: what readers see without an account.

Only published items are ever shown; anything else is a 404, so a draft's
address reveals nothing. Pages run a fixed number of queries (see
``news.selectors``); the server keeps the rendered page for anonymous
readers until the next publication (``public_cache``), and browsers and
proxies may keep it for ``NEWS_PUBLIC_MAX_AGE`` seconds.
"""

from __future__ import annotations

import functools
import hashlib
from urllib.parse import quote, urlencode

from django import forms
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import truncatechars
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.html import json_script
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.timezone import localtime
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from humas_portal.core.models import WorkUnit
from humas_portal.core.ratelimit import GuardedFormMixin, ratelimit
from humas_portal.core.templatetags.portal import unit_time

from . import counters, images, selectors, subscriptions
from .models import Category, PriorityProgram, Tag

HOME_LATEST = 9
HOME_PER_PROGRAM = 3
HOME_UNITS = 12
RELATED_COUNT = 4
# Subscription requests per client address per hour: after the soft limit
# the form asks a small sum, after the hard one it answers 429.
SUBSCRIBE_SOFT_LIMIT_PER_HOUR = 5
SUBSCRIBE_LIMIT_PER_HOUR = 30


def public_cache(view):
    """Keep the rendered page for anonymous readers, and tell browsers and
    proxies how long they may keep it.

    A request without a session or messages cookie (nobody signed in, no
    message waiting) is served the page kept for its language and full
    address when one is kept for the current generation (one round trip to
    the cache and no query; see ``selectors.cached_for_generation``), and
    otherwise rendered and kept, unless rendering set a cookie or used the
    visitor's CSRF token. Any publication, unpublication or change of what
    the pages show moves to a new generation, so no kept page outlives the
    change; browsers and proxies may keep it for the few seconds of
    ``NEWS_PUBLIC_MAX_AGE``. Signed-in staff, whose pages
    show their own menu, are never served a kept page and always revalidate.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        key = _page_key(request) if _may_share(request) else ""
        if key:
            generation, kept = selectors.cached_for_generation(key)
            if kept is not None:
                content, headers, read_item_id = kept
                if read_item_id:
                    _count_read(request, read_item_id)
                response = HttpResponse(content)
                for name, value in headers:
                    response.headers[name] = value
                patch_cache_control(response, public=True, max_age=settings.NEWS_PUBLIC_MAX_AGE)
                return response
        response = view(request, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            if request.user.is_authenticated:
                patch_cache_control(response, private=True, no_cache=True)
            else:
                if key and _is_shareable(request, response):
                    kept = (
                        response.content,
                        list(response.headers.items()),
                        getattr(response, "read_item_id", None),
                    )
                    selectors.keep_for_generation(key, generation, kept, settings.NEWS_PUBLIC_CACHE_SECONDS)
                patch_cache_control(response, public=True, max_age=settings.NEWS_PUBLIC_MAX_AGE)
        return response

    return wrapper


def _may_share(request) -> bool:
    """Whether the request may get the page every anonymous reader gets."""
    personal = (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)
    return request.method in ("GET", "HEAD") and not any(name in request.COOKIES for name in personal)


def _is_shareable(request, response) -> bool:
    """Whether the rendered page is the same for every anonymous reader."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    # The page holds this visitor's CSRF token (a form): the middleware will
    # set its cookie, and another visitor's post would fail with it.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    return not (messages is not None and messages.added_new)


def _page_key(request) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:40]
    return f"news:page:{get_language()}:{digest}"


def _count_read(request, item_id: int) -> None:
    # HEAD requests and crawlers are not readers.
    if request.method == "GET" and not counters.is_bot(request.headers.get("User-Agent")):
        counters.record_view(item_id)


def absolute_url(url: str) -> str:
    """An absolute address for share cards and feeds (``SITE_URL`` based, so
    it is the same whichever host name the request used)."""
    if url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL + url


def _page_or_404(queryset, request, *, count_key: str, keys=None):
    try:
        page = selectors.news_page(queryset, request.GET.get("page"), count_key=count_key, keys=keys)
    except InvalidPage:
        raise Http404(_("Halaman tidak ditemukan.")) from None
    page.object_list = list(page.object_list)
    return page


def _page_of_ids(ids: list[int], request):
    """The requested page of a list of item ids, with the cards of its
    items (one query); a page that does not exist is a 404."""
    try:
        page = Paginator(ids, settings.NEWS_PAGE_SIZE).page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404(_("Halaman tidak ditemukan.")) from None
    page.object_list = selectors.cards_in_order(page.object_list)
    return page


def _canonical(request, page) -> str:
    url = absolute_url(request.path)
    return url if page.number == 1 else f"{url}?page={page.number}"


def _render_list(request, page, *, heading: str, description: str = "", extra: dict | None = None):
    context = {
        "heading": heading,
        "description": description,
        "page_obj": page,
        "items": page.object_list,
        "canonical_url": _canonical(request, page),
        **(extra or {}),
    }
    return render(request, "news/public/list.html", context)


# --- Pages ----------------------------------------------------------------------


@require_safe
@public_cache
def home(request):
    context = {
        "news_html": _home_news_html(),
        "canonical_url": absolute_url(reverse("news:home")),
    }
    return render(request, "news/public/home.html", context)


def _home_news_html() -> str:
    """The home page's news, units and program sections, rendered once per
    generation and language: they only change with a publication, and their
    two dozen cards are most of the page's rendering time (signed-in staff,
    who get no kept page, are served these too)."""
    key = f"news:home:{get_language()}"
    generation, html = selectors.cached_for_generation(key)
    if html is None:
        news = selectors.home_news(latest=HOME_LATEST, per_program=HOME_PER_PROGRAM)
        latest = news.latest
        html = render_to_string(
            "news/public/_home_news.html",
            {
                "headline": latest[0] if latest else None,
                "latest": latest[1:],
                "sections": news.sections,
                "recent_units": selectors.units_with_recent_news(limit=HOME_UNITS),
                "programs": PriorityProgram.choices,
            },
        )
        selectors.keep_for_generation(key, generation, html, settings.NEWS_PUBLIC_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered above from our own template, escaped there


@require_safe
@public_cache
def latest(request):
    return _render_list(
        request,
        _page_or_404(selectors.news_cards(), request, count_key="latest"),
        heading=_("Berita terbaru"),
        extra={
            "feed_rss": reverse("news:feed_rss"),
            "feed_atom": reverse("news:feed_atom"),
        },
    )


@require_safe
@public_cache
def detail(request, slug):
    item = selectors.news_detail(slug=slug)
    if item is None:
        raise Http404(_("Berita tidak ditemukan."))
    _count_read(request, item.pk)
    image = item.featured_image
    canonical_url = absolute_url(item.get_absolute_url())
    # An item published by a single UPDATE (the workflow) keeps the
    # updated_at of its last edit, from before publication.
    modified = max(item.updated_at, item.published_at)
    featured = _featured_photo(image) if image else None
    context = {
        "item": item,
        "description": truncatechars(item.lead, 300),
        "summary": truncatechars(item.lead, 200),
        # As the date filter's "c" shows them, in the active zone.
        "published_iso": localtime(item.published_at).isoformat(),
        "modified_iso": localtime(modified).isoformat(),
        # "Sabtu, 21 November 2026, 09:00 WITA": the unit's own zone.
        "published_shown": unit_time(item.published_at, item.unit, weekday=True),
        "unit_url": item.unit.get_absolute_url(),
        "show_program": _program_differs_from_category(item),
        "tags": item.tag_list,
        "gallery": [
            {"image": shot, "url": shot.url_for("full"), "thumb": shot.url_for("card")}
            for shot in item.gallery
        ],
        "featured": featured,
        "related": selectors.related_news(item, item.tag_list, limit=RELATED_COUNT),
        "view_count": item.view_count + counters.pending_views(item.pk),
        "canonical_url": canonical_url,
        "share_links": share_links(title=item.title, url=canonical_url),
    }
    context["article_ld"] = json_ld(_news_article(item, context, modified=modified))
    response = render(request, "news/public/detail.html", context)
    # A kept copy of the page still counts each read (see public_cache).
    response.read_item_id = item.pk
    return response


def _featured_photo(image) -> dict:
    """The featured photo as the page, its share card and its structured
    data link it: the full rendition (the original until the worker made
    it) with that file's own size, and a ``srcset`` with the card rendition
    for phones once both renditions exist."""
    width, height = images.linked_size(image, "full")
    srcset = ""
    if image.card and image.full:
        card_width, _card_height = images.linked_size(image, "card")
        srcset = f"{image.card.url} {card_width}w, {image.full.url} {width}w"
    return {
        "image": image,
        "url": image.url_for("full"),
        "absolute_url": absolute_url(image.url_for("full")),
        "width": width,
        "height": height,
        "srcset": srcset,
    }


def _program_differs_from_category(item) -> bool:
    """Whether the item's priority program says more than its category: a
    category named like the program ("Haji dan Umrah", "Haji dan umrah")
    is shown once."""
    if not item.priority_program:
        return False
    if item.category is None:
        return True
    with translation.override("id"):
        label = str(PriorityProgram(item.priority_program).label)
    return slugify(label) not in {item.category.slug, slugify(item.category.name)}


def share_links(*, title: str, url: str) -> list[dict]:
    """Plain links to each platform's own share page: no script or
    cookie of theirs reaches the reader before they choose to share."""
    return [
        {
            "name": "whatsapp",
            "label": "WhatsApp",
            "url": "https://wa.me/?" + urlencode({"text": f"{title} {url}"}, quote_via=quote),
        },
        {
            "name": "facebook",
            "label": "Facebook",
            "url": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}, quote_via=quote),
        },
        {
            "name": "x",
            "label": "X",
            "url": "https://x.com/intent/post?" + urlencode({"text": title, "url": url}, quote_via=quote),
        },
    ]


def json_ld(data: dict) -> SafeString:
    """``data`` as a ``<script type="application/ld+json">`` element, escaped
    as Django's ``json_script`` escapes (``<``, ``>`` and ``&`` as JSON
    escapes), so that no text of an item can close the element."""
    element = json_script(data)
    return mark_safe(  # noqa: S308 - json_script escaped every value
        element.replace('<script type="application/json">', '<script type="application/ld+json">', 1)
    )


def _news_article(item, context: dict, *, modified) -> dict:
    """schema.org ``NewsArticle`` of a news page, for search engines."""
    unit = item.unit
    unit_organisation = {
        "@type": "GovernmentOrganization",
        "name": unit.name,
        "url": absolute_url(context["unit_url"]),
    }
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": context["canonical_url"]},
        "url": context["canonical_url"],
        "headline": item.title,
        "description": context["description"],
        "datePublished": context["published_iso"],
        "dateModified": context["modified_iso"],
        "inLanguage": "id",
        "author": [{"@type": "Person", "name": item.reporter}] if item.reporter else [unit_organisation],
        "publisher": {
            "@type": "GovernmentOrganization",
            "name": settings.SITE_NAME,
            "url": absolute_url(reverse("news:home")),
        },
        "sourceOrganization": unit_organisation,
    }
    featured = context["featured"]
    if featured:
        image = {"@type": "ImageObject", "url": featured["absolute_url"]}
        if featured["width"]:
            image.update(width=featured["width"], height=featured["height"])
        if item.photo_credit:
            image["creditText"] = item.photo_credit
        article["image"] = [image]
    if item.editor_credit:
        article["editor"] = {"@type": "Person", "name": item.editor_credit}
    if item.category:
        article["articleSection"] = item.category.name
    if context["tags"]:
        article["keywords"] = [tag.name for tag in context["tags"]]
    return article


@require_safe
@public_cache
def units(request):
    all_units = list(selectors.active_units())
    for unit in all_units:
        # Indentation by depth in the hierarchy, from the materialised path.
        unit.depth = unit.path.strip("/").count("/")
    return render(
        request,
        "news/public/units.html",
        {"units": all_units, "canonical_url": absolute_url(reverse("news:units"))},
    )


@require_safe
@public_cache
def unit(request, slug):
    unit, subtree = selectors.active_unit_with_subtree(slug)
    if unit is None:
        raise Http404(_("Unit kerja tidak ditemukan."))
    children = [u for u in subtree if u.parent_id == unit.pk and u.is_active]
    description = (
        _("Berita %(unit)s dan unit kerja di bawahnya.") % {"unit": unit.name}
        if children
        else _("Berita dari %(unit)s.") % {"unit": unit.name}
    )
    return _render_list(
        request,
        _page_or_404(selectors.unit_news(unit, subtree), request, count_key=f"unit:{unit.pk}"),
        heading=unit.name,
        description=description,
        extra={
            "unit": unit,
            "children": children,
            "feed_rss": reverse("news:unit_feed_rss", kwargs={"slug": unit.slug}),
            "feed_atom": reverse("news:unit_feed_atom", kwargs={"slug": unit.slug}),
            "subscribe_url": reverse("news:subscribe") + f"?unit={unit.slug}",
        },
    )


@require_safe
@public_cache
def category(request, slug):
    category = get_object_or_404(Category, slug=slug)
    return _render_list(
        request,
        _page_or_404(selectors.category_news(category), request, count_key=f"category:{category.pk}"),
        heading=_("Kategori: %(name)s") % {"name": category.name},
        description=category.description,
        extra={
            "feed_rss": reverse("news:category_feed_rss", kwargs={"slug": category.slug}),
            "feed_atom": reverse("news:category_feed_atom", kwargs={"slug": category.slug}),
        },
    )


@require_safe
@public_cache
def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    heading = _("Tag: %(name)s") % {"name": tag.name}
    page = _page_or_404(
        selectors.news_cards(), request, count_key=f"tag:{tag.pk}", keys=selectors.tag_item_keys(tag)
    )
    return _render_list(request, page, heading=heading)


@require_safe
@public_cache
def program(request, program):
    if program not in PriorityProgram.values:
        raise Http404(_("Program prioritas tidak ditemukan."))
    label = PriorityProgram(program).label
    return _render_list(
        request,
        _page_or_404(selectors.program_news(program), request, count_key=f"program:{program}"),
        heading=_("Program prioritas: %(name)s") % {"name": label},
        extra={"programs": PriorityProgram.choices, "current_program": program},
    )


@require_safe
@public_cache
def search(request):
    query = selectors.normalise_query(request.GET.get("q"))
    context = {"query": query, "programs": PriorityProgram.choices}
    if query:
        page = _page_of_ids(selectors.search_results(query), request)
        context.update(
            page_obj=page,
            items=page.object_list,
            # Only the most recent matches are ranked (see search_news).
            more_than=page.paginator.count >= settings.NEWS_SEARCH_MAX_RESULTS,
        )
    return render(request, "news/public/search.html", context)


@require_safe
def robots_txt(request):
    context = {"sitemap_url": request.build_absolute_uri(reverse("news:sitemap"))}
    response = render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response


# --- Subscriptions --------------------------------------------------------------


class SubscriptionForm(GuardedFormMixin, forms.Form):
    """Each request mails a stranger's address, so the form carries the
    shared honeypot and timing guard, and the view a rate limit."""

    guard_scope = "news-subscribe"

    email = forms.CharField(
        label=gettext_lazy("Alamat email"),
        max_length=254,
        error_messages={
            "required": gettext_lazy("Alamat email wajib diisi."),
            "max_length": gettext_lazy("Alamat email terlalu panjang."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit kerja"),
        queryset=WorkUnit.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("Semua unit kerja"),
        help_text=gettext_lazy("Kosongkan untuk menerima berita dari semua unit kerja."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = WorkUnit.objects.active().only("id", "name", "slug", "path")
        self.fields["unit"].error_messages["invalid_choice"] = _("Pilih unit kerja dari daftar.")

    def clean_email(self):
        try:
            return subscriptions.normalise_email(self.cleaned_data["email"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(
    scope="news-subscribe",
    limit=SUBSCRIBE_LIMIT_PER_HOUR,
    soft_limit=SUBSCRIBE_SOFT_LIMIT_PER_HOUR,
    window=3600,
)
def subscribe(request):
    challenge = request.ratelimit.challenge_required
    if request.method == "POST":
        form = SubscriptionForm(request.POST, challenge=challenge)
        if form.is_valid():
            subscriptions.subscription_request(
                email=form.cleaned_data["email"], unit=form.cleaned_data["unit"]
            )
            return redirect("news:subscribe_done")
    else:
        form = SubscriptionForm(initial={"unit": request.GET.get("unit") or None}, challenge=challenge)
    return render(request, "news/public/subscribe.html", {"form": form})


@require_safe
def subscribe_done(request):
    return render(request, "news/public/subscribe_done.html")


# The token in the address is the reader's proof; CSRF protection adds
# nothing to it and would break one-click unsubscribe (RFC 8058) from mail
# programs. GET only shows a button, because mail scanners follow links.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def subscription_confirm(request, token):
    if request.method == "POST":
        subscription = subscriptions.subscription_confirm(token=token)
        if subscription is None:
            return render(request, "news/public/subscription_invalid.html", status=404)
        return render(request, "news/public/subscription_confirmed.html", {"subscription": subscription})
    subscription = subscriptions.subscription_find(token=token)
    if subscription is None:
        return render(request, "news/public/subscription_invalid.html", status=404)
    return render(request, "news/public/subscription_confirm.html", {"subscription": subscription})


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    if request.method == "POST":
        subscriptions.subscription_cancel(token=token)
        # The same answer whether or not the link was still valid.
        return render(request, "news/public/unsubscribed.html")
    subscription = subscriptions.subscription_find(token=token)
    if subscription is None:
        return render(request, "news/public/subscription_invalid.html", status=404)
    return render(request, "news/public/unsubscribe.html", {"subscription": subscription})
