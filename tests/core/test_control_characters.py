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


DISGUISED = "Ahmad\u202e nawaD\u200b\u2066"


@pytest.mark.django_db
def test_titles_and_names_are_saved_clean_however_they_arrive(org, people):
    from news import services as news_services
    from tests.ppid.factories import submit_request

    item = news_services.news_create(
        actor=people.kontributor,
        unit=org.kua_bangil,
        title="Rapat\u202e kerja\u200b KUA",
        lead="Teras.",
        body="<p>Isi.</p>",
        tags=["Moderasi\u200b Beragama"],
        reporter=DISGUISED,
    )
    item.refresh_from_db()
    assert item.title == "Rapat kerja KUA"
    assert item.reporter == "Ahmad nawaD"
    assert [tag.name for tag in item.tags.all()] == ["Moderasi Beragama"]

    request = submit_request(org.kua_bangil, name=DISGUISED).request
    request.refresh_from_db()
    assert request.name == "Ahmad nawaD"

    people.kontributor.full_name = DISGUISED
    people.kontributor.save()
    people.kontributor.refresh_from_db()
    assert people.kontributor.full_name == "Ahmad nawaD"


@pytest.mark.django_db
def test_a_form_checks_uniqueness_on_the_cleaned_name(db):
    from django import forms
    from django.core.exceptions import ValidationError

    from news.models import Category

    Category.objects.create(name="Haji dan Umrah", slug="haji-dan-umrah")

    class CategoryForm(forms.ModelForm):
        class Meta:
            model = Category
            fields = ["name", "slug"]

    form = CategoryForm(data={"name": "Haji\u200b dan Umrah", "slug": "haji-2"})
    assert not form.is_valid()
    assert "name" in form.errors
    with pytest.raises(ValidationError):
        Category(name="Haji dan\u2066 Umrah", slug="haji-3").full_clean()
