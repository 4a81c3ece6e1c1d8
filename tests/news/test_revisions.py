"""Revisions of a news item and their side-by-side comparison."""

import pytest
from django.urls import reverse

from news import services
from news.views_desk import diff_blocks, diff_words, text_blocks

pytestmark = pytest.mark.django_db


def test_text_blocks_are_the_paragraphs_of_the_body():
    body = (
        "<h2>Latar</h2><p>Satu &amp; dua</p><ul><li>butir</li></ul>"
        '<figure class="image"><img src="/media/news/a.jpg" alt="Peserta"><figcaption>Foto</figcaption></figure>'
        "<p>baris<br>baru</p>"
    )
    assert text_blocks(body) == [
        "Latar",
        "Satu & dua",
        "butir",
        "[Gambar: a.jpg Peserta]",
        "Foto",
        "baris",
        "baru",
    ]


def test_changed_words_are_marked_and_escaped():
    old, new = diff_words("Rapat <b>kerja</b> di KUA", "Rapat <b>koordinasi</b> di KUA Bangil")
    assert old == "Rapat <del>&lt;b&gt;kerja&lt;/b&gt;</del> di KUA"
    assert new == "Rapat <ins>&lt;b&gt;koordinasi&lt;/b&gt;</ins> di KUA<ins> Bangil</ins>"


def test_paragraphs_are_paired_added_and_removed():
    rows = diff_blocks(["Sama", "Lama sekali", "Dihapus"], ["Sama", "Baru sekali"])
    assert [row["kind"] for row in rows] == ["same", "changed", "removed"]
    assert rows[1]["old"] == "<del>Lama</del> sekali"
    assert rows[1]["new"] == "<ins>Baru</ins> sekali"
    assert rows[2] == {"kind": "removed", "old": "<del>Dihapus</del>", "new": ""}
    rows = diff_blocks(["Sama"], ["Sama", "Tambahan <i>"])
    assert rows[1] == {"kind": "added", "old": "", "new": "<ins>Tambahan &lt;i&gt;</ins>"}


@pytest.fixture
def revised(org, people):
    item = services.news_create(
        actor=people.kontributor,
        unit=org.kua_bangil,
        title="Rapat kerja <script>alert(1)</script>",
        lead="Teras lama.",
        body="<p>Paragraf pertama.</p><p>Paragraf lama.</p>",
    )
    services.news_update(
        item=item, actor=people.kontributor, body="<p>Paragraf pertama.</p><p>Paragraf baru.</p>"
    )
    services.news_update(item=item, actor=people.kontributor, lead="Teras baru.")
    return item


def test_the_revision_list_shows_every_save(client, people, revised):
    client.force_login(people.kontributor)
    response = client.get(reverse("news:desk_revisions", args=[revised.pk]))
    assert [rev.number for rev in response.context["revisions"]] == [3, 2, 1]


def test_the_comparison_highlights_words_side_by_side(client, people, revised):
    client.force_login(people.verifikator)
    response = client.get(reverse("news:desk_compare", args=[revised.pk]), {"a": 1, "b": 2})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<td>Paragraf <del>lama.</del></td><td>Paragraf <ins>baru.</ins></td>" in page
    assert "<td>Paragraf pertama.</td><td>Paragraf pertama.</td>" in page
    # The title is shown as text, never as markup.
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_comparison_defaults_to_the_last_two_revisions(client, people, revised):
    client.force_login(people.kontributor)
    response = client.get(reverse("news:desk_compare", args=[revised.pk]))
    assert (response.context["old"].number, response.context["new"].number) == (2, 3)
    assert response.context["lead_diff"] == ("Teras <del>lama.</del>", "Teras <ins>baru.</ins>")


def test_the_older_revision_is_always_on_the_left(client, people, revised):
    client.force_login(people.kontributor)
    response = client.get(reverse("news:desk_compare", args=[revised.pk]), {"a": 3, "b": 1})
    assert (response.context["old"].number, response.context["new"].number) == (1, 3)


@pytest.mark.parametrize("query", [{"a": 9, "b": 1}, {"a": "x", "b": 1}])
def test_an_unknown_revision_is_not_found(client, people, revised, query):
    client.force_login(people.kontributor)
    assert client.get(reverse("news:desk_compare", args=[revised.pk]), query).status_code == 404


def test_a_single_revision_sends_back_to_the_list(client, org, people):
    item = services.news_create(
        actor=people.kontributor, unit=org.kua_bangil, title="J", lead="T.", body="<p>x</p>"
    )
    client.force_login(people.kontributor)
    response = client.get(reverse("news:desk_compare", args=[item.pk]))
    assert response["Location"] == reverse("news:desk_revisions", args=[item.pk])


def test_revisions_of_another_office_are_not_found(client, people, revised):
    client.force_login(people.verifikator_lain)
    assert client.get(reverse("news:desk_revisions", args=[revised.pk])).status_code == 404
    assert client.get(reverse("news:desk_compare", args=[revised.pk])).status_code == 404
