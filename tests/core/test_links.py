"""Addresses by slug without a full reverse() each."""

import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from humas_portal.core.links import slug_url


@pytest.mark.parametrize("name", ["news:detail", "news:unit", "news:category", "news:tag"])
@pytest.mark.parametrize("slug", ["kua-bangil", "rapat_koordinasi-2026", "a"])
def test_the_same_address_as_reverse(name, slug):
    assert slug_url(name, slug) == reverse(name, kwargs={"slug": slug})


def test_a_slug_the_route_does_not_accept_is_refused_as_reverse_refuses_it():
    with pytest.raises(NoReverseMatch):
        slug_url("news:detail", "kabar-sé")
    with pytest.raises(NoReverseMatch):
        slug_url("news:detail", "kabar/lain")


def test_the_script_prefix_of_the_request_is_kept():
    """Behind a proxy that mounts the portal under a path (SCRIPT_NAME)."""
    set_script_prefix("/portal/")
    try:
        assert slug_url("news:detail", "kabar") == "/portal/berita/kabar/"
    finally:
        clear_script_prefix()
    assert slug_url("news:detail", "kabar") == "/berita/kabar/"


def test_models_link_through_it(org):
    assert org.kua_bangil.get_absolute_url() == reverse("news:unit", kwargs={"slug": org.kua_bangil.slug})
