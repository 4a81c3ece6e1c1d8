"""The bare page belongs to the benchmark's URLconf, not to production."""

import pytest
from django.urls import NoReverseMatch, Resolver404, resolve, reverse


def test_production_urlconf_has_no_bench_route(client):
    """A deployment answers /_bench/bare/ like any unknown address, and the
    route name is unknown to it."""
    with pytest.raises(NoReverseMatch):
        reverse("bench_bare", urlconf="humas_portal.urls")
    with pytest.raises(Resolver404):
        resolve("/_bench/bare/", urlconf="humas_portal.urls")
    assert client.get("/_bench/bare/").status_code == 404


def test_bench_urlconf_serves_the_bare_page_and_the_portal(client, settings):
    settings.ROOT_URLCONF = "bench.urls"
    assert reverse("bench_bare") == "/_bench/bare/"
    assert reverse("news:home") == "/"
    response = client.get("/_bench/bare/")
    assert response.status_code == 200
    assert response.content.startswith(b"<!doctype html>")


def test_bench_settings_are_production_settings_with_their_own_urlconf():
    import bench.settings
    import humas_portal.settings

    assert bench.settings.ROOT_URLCONF == "bench.urls"
    assert bench.settings.INSTALLED_APPS == humas_portal.settings.INSTALLED_APPS
    assert bench.settings.MIDDLEWARE == humas_portal.settings.MIDDLEWARE
