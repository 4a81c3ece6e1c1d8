"""Control characters in what people send: a NUL in a query parameter or a
form field never reaches the database, and names and titles lose the
invisible characters that can disguise them."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from humas_portal.core.middleware import ControlCharacterMiddleware
from humas_portal.core.text import clean_name, strip_controls
from news.selectors import invalidate_public_cache
from tests.news.factories import NewsItemFactory


@pytest.fixture(autouse=True)
def _fresh_public_cache(db):
    invalidate_public_cache()


def test_a_nul_in_the_search_box_is_removed_not_an_error(client):
    item = NewsItemFactory(published=True, title="Pelatihan Kehumasan Madrasah Se-Kabupaten")
    assert client.get(reverse("news:search"), {"q": "\x00"}).status_code == 200
    response = client.get("/cari/?q=madra%00sah")
    assert response.status_code == 200
    assert [found.pk for found in response.context["items"]] == [item.pk]


def test_a_nul_in_the_desk_filter_is_removed_not_an_error(client, people):
    client.force_login(people.kontributor)
    response = client.get(reverse("news:desk_list"), {"q": "ni\x00kah", "status": "\x00"})
    assert response.status_code == 200


def test_form_values_keep_tabs_and_newlines_and_lose_other_controls():
    seen = {}

    def view(request):
        seen["post"] = request.POST
        seen["get"] = request.GET
        return HttpResponse()

    middleware = ControlCharacterMiddleware(view)
    request = RequestFactory().post(
        "/?q=a%00b%07c", {"body": "baris 1\r\nbaris 2\tkolom\x00\x1b[31m", "na\x00me": "x"}
    )
    middleware.process_view(request, view, (), {})
    middleware(request)
    assert seen["get"]["q"] == "abc"
    assert seen["post"]["body"] == "baris 1\r\nbaris 2\tkolom[31m"
    assert seen["post"]["name"] == "x"
    with pytest.raises(AttributeError):
        seen["post"]["body"] = "changed"  # still immutable, as Django gives it


def test_clean_input_is_left_as_it_is():
    request = RequestFactory().get("/?q=moderasi+beragama")
    original = request.GET
    ControlCharacterMiddleware(lambda r: HttpResponse())(request)
    assert request.GET is original


def test_names_lose_direction_overrides_and_zero_width_characters():
    # "Ahmad" followed by a right-to-left override that would show the rest
    # reversed, a zero-width space, and a line break.
    assert clean_name("Ahmad\u202e nawaD\u200b\n Syaifuddin\u2066") == "Ahmad nawaD Syaifuddin"
    assert clean_name("KUA\u00a0Bangil") == "KUA Bangil"
    assert strip_controls("Masjid\u202e") == "Masjid\u202e"  # controls only, for bodies
