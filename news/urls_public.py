"""Public news site, mounted at / under the ``news`` namespace."""

from django.urls import path
from django.views.decorators.cache import cache_control

from . import feeds, sitemaps, views_public


def _feed(feed_class):
    return views_public.public_cache(feed_class())


_sitemap_cache = cache_control(public=True, max_age=3600)

urlpatterns = [
    path("", views_public.home, name="home"),
    path("berita/", views_public.latest, name="latest"),
    path("berita/<slug:slug>/", views_public.detail, name="detail"),
    path("unit/", views_public.units, name="units"),
    path("unit/<slug:slug>/", views_public.unit, name="unit"),
    path("unit/<slug:slug>/rss/", _feed(feeds.UnitNewsFeed), name="unit_feed_rss"),
    path("unit/<slug:slug>/atom/", _feed(feeds.UnitNewsAtomFeed), name="unit_feed_atom"),
    path("kategori/<slug:slug>/", views_public.category, name="category"),
    path("kategori/<slug:slug>/rss/", _feed(feeds.CategoryNewsFeed), name="category_feed_rss"),
    path("kategori/<slug:slug>/atom/", _feed(feeds.CategoryNewsAtomFeed), name="category_feed_atom"),
    path("tag/<slug:slug>/", views_public.tag, name="tag"),
    path("program/<slug:program>/", views_public.program, name="program"),
    path("cari/", views_public.search, name="search"),
    path("rss/", _feed(feeds.LatestNewsFeed), name="feed_rss"),
    path("atom/", _feed(feeds.LatestNewsAtomFeed), name="feed_atom"),
    path("sitemap.xml", _sitemap_cache(sitemaps.sitemap_index), name="sitemap"),
    path("sitemap-<section>.xml", _sitemap_cache(sitemaps.sitemap_section), name="sitemap_section"),
    path("robots.txt", views_public.robots_txt, name="robots"),
    path("langganan/", views_public.subscribe, name="subscribe"),
    path("langganan/terkirim/", views_public.subscribe_done, name="subscribe_done"),
    path(
        "langganan/konfirmasi/<str:token>/",
        views_public.subscription_confirm,
        name="subscription_confirm",
    ),
    path("langganan/berhenti/<str:token>/", views_public.unsubscribe, name="unsubscribe"),
]
