"""The Django admin of news cannot bypass the desk workflow."""

import pytest
from django.urls import reverse

from humas_portal.core.models import Role
from humas_portal.core.workflow import ReviewStatus
from news.models import Category

from ..factories import UserFactory, grant
from .factories import CategoryFactory, NewsItemFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


def test_status_and_text_cannot_be_changed_in_the_admin(client, org, superuser):
    item = NewsItemFactory(unit=org.kua_bangil, status=ReviewStatus.SUBMITTED)
    category = CategoryFactory(name="Pendidikan")
    client.force_login(superuser)
    url = reverse("admin:news_newsitem_change", args=[item.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert reverse("news:desk_detail", args=[item.pk]) in page.content.decode()
    response = client.post(
        url,
        {
            "status": ReviewStatus.PUBLISHED,
            "title": "Diubah lewat admin",
            "category": category.pk,
            "priority_program": "produk-halal",
            **_no_tag_rows(),
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ReviewStatus.SUBMITTED
    assert item.title != "Diubah lewat admin"
    assert (item.category, item.priority_program) == (category, "produk-halal")


def _no_tag_rows(**rows):
    """The admin's tag inline, with ``rows`` (field: value) as new rows."""
    return {"newstag_set-TOTAL_FORMS": "0", "newstag_set-INITIAL_FORMS": "0", **rows}


def test_a_tag_added_in_the_admin_shows_the_published_item_on_the_tag_page(
    client, org, superuser, django_capture_on_commit_callbacks
):
    item = NewsItemFactory(unit=org.kua_bangil, published=True, title="Manasik Haji Kecamatan Bangil")
    tag = TagFactory(name="manasik")
    tag_page = reverse("news:tag", kwargs={"slug": tag.slug})
    assert item.title not in client.get(tag_page).content.decode()  # kept by the public cache
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:news_newsitem_change", args=[item.pk]),
            {
                "priority_program": item.priority_program,
                **_no_tag_rows(**{"newstag_set-TOTAL_FORMS": "1", "newstag_set-0-tag": tag.pk}),
                "revisions-TOTAL_FORMS": "0",
                "revisions-INITIAL_FORMS": "0",
            },
        )
    assert response.status_code == 302
    assert list(item.tags.all()) == [tag]
    client.logout()
    assert item.title in client.get(tag_page).content.decode()


def test_news_cannot_be_added_in_the_admin(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:news_newsitem_add")).status_code == 403


def test_admin_humas_manages_categories(client, org):
    pranata = UserFactory(is_staff=True)
    grant(pranata, Role.ADMIN_HUMAS, org.pasuruan)
    client.force_login(pranata)
    response = client.post(reverse("admin:news_category_add"), {"name": "Kerukunan", "slug": "kerukunan"})
    assert response.status_code == 302
    assert Category.objects.filter(slug="kerukunan").exists()


def test_a_staff_contributor_cannot_manage_categories(client, org):
    writer = UserFactory(is_staff=True)
    grant(writer, Role.KONTRIBUTOR, org.kua_bangil)
    client.force_login(writer)
    assert client.get(reverse("admin:news_category_add")).status_code == 403


def test_the_admin_lists_filter_by_status_and_unit(client, org, superuser):
    NewsItemFactory(unit=org.kua_bangil, published=True, title="Sudah terbit")
    NewsItemFactory(unit=org.kua_bangil, title="Masih draf")
    client.force_login(superuser)
    response = client.get(reverse("admin:news_newsitem_changelist"), {"status__exact": "published"})
    page = response.content.decode()
    assert "Sudah terbit" in page
    assert "Masih draf" not in page
    for name in ("category", "tag", "newssubscription"):
        assert client.get(reverse(f"admin:news_{name}_changelist")).status_code == 200
