"""The news desk's pages as the writer and the verifier read them: what
waits for the writer, the review page that shows the item as it will be
published, the rejection's confirmation step, the empty queue, and tables
that turn into cards on a phone."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from humas_portal.core.models import Role
from humas_portal.core.policy import roles_of
from humas_portal.core.workflow import ReviewStatus
from news import desk
from news.models import NewsItem

from ..factories import UserFactory, grant
from .factories import NewsImageFactory, NewsItemFactory

pytestmark = pytest.mark.django_db


def _submitted(unit, author, **kwargs):
    return NewsItemFactory(
        unit=unit, author=author, status=ReviewStatus.SUBMITTED, submitted_at=timezone.now(), **kwargs
    )


def _list(client, **params):
    response = client.get(reverse("news:desk_list"), params)
    assert response.status_code == 200
    return response


def _titles(response):
    return {item.title for item in response.context["page"]}


def _href(line):
    """The list's query of a summary line, as a dict (the link of the page)."""
    query = line.url.split("?", 1)[1]
    return dict(pair.split("=") for pair in query.split("&"))


@pytest.fixture
def writers_desk(org, people):
    """The contributor's own items in every state, plus a colleague's
    returned item and a published item of last week."""
    me = people.kontributor
    now = timezone.now()
    make = NewsItemFactory
    items = {
        "returned": [
            make(unit=org.kua_bangil, author=me, status=ReviewStatus.RETURNED, title="Kembali satu"),
            make(unit=org.kua_bangil, author=me, status=ReviewStatus.RETURNED, title="Kembali dua"),
        ],
        "submitted": [_submitted(org.kua_bangil, me, title="Sedang diperiksa")],
        "scheduled": [
            make(
                unit=org.kua_bangil,
                author=me,
                status=ReviewStatus.APPROVED,
                publish_at=now + timedelta(days=1),
                title="Terbit besok",
            )
        ],
        "published_week": [
            make(unit=org.kua_bangil, author=me, published=True, published_at=now, title="Terbit barusan")
        ],
    }
    make(unit=org.kua_bangil, author=me, title="Draf saya")
    make(
        unit=org.kua_bangil,
        author=me,
        published=True,
        published_at=now - timedelta(days=8),
        title="Terbit pekan lalu",
    )
    make(
        unit=org.kua_bangil, author=people.kontributor_man, status=ReviewStatus.RETURNED, title="Milik rekan"
    )
    return items


# --- 1. What waits for the writer -------------------------------------------------------


def test_the_writers_list_counts_what_waits_for_them(client, people, writers_desk):
    """ "Berita saya" opens with four counts of the writer's own items:
    returned, in review, scheduled, published this week."""
    client.force_login(people.kontributor)
    response = _list(client, saya="1")
    counts = {line.key: line.count for line in response.context["waiting"]}
    assert counts == {"returned": 2, "submitted": 1, "scheduled": 1, "published_week": 1}
    page = response.content.decode()
    assert "Dikembalikan, perlu Anda revisi" in page
    assert "Terbit pekan ini" in page
    for line in response.context["waiting"]:
        assert f'href="{line.url.replace("&", "&amp;")}"' in page


@pytest.mark.parametrize("key", ["returned", "submitted", "scheduled", "published_week"])
def test_each_count_links_to_exactly_the_items_it_counts(client, people, writers_desk, key):
    client.force_login(people.kontributor)
    line = next(line for line in _list(client).context["waiting"] if line.key == key)
    response = _list(client, **_href(line))
    assert _titles(response) == {item.title for item in writers_desk[key]}
    assert len(response.context["page"]) == line.count
    # The tile of the list being shown is marked as the current one.
    assert response.context["current_line"] == key
    assert re.search(r'<a href="[^"]+" aria-current="true">', response.content.decode())


def test_a_returned_count_is_shown_as_needing_attention(client, people, writers_desk):
    client.force_login(people.kontributor)
    page = _list(client).content.decode()
    assert re.search(r'class="badge warning desk-count">2<', page)


def test_this_week_starts_on_monday_in_the_units_own_zone(people, wita_writer):
    """Published Monday 00:30 WITA (Sunday 16:30 UTC) is this week in
    Makassar; Sunday 23:30 WITA is last week's."""
    writer, unit = wita_writer
    NewsItemFactory(
        unit=unit, author=writer, published=True, published_at=datetime(2030, 7, 7, 15, 30, tzinfo=UTC)
    )
    monday = NewsItemFactory(
        unit=unit, author=writer, published=True, published_at=datetime(2030, 7, 7, 16, 30, tzinfo=UTC)
    )
    wednesday_noon = datetime(2030, 7, 10, 4, 0, tzinfo=UTC)
    counts = {line.key: line.count for line in desk.writer_summary(writer, now=wednesday_noon)}
    assert counts["published_week"] == 1
    this_week = NewsItem.objects.filter(desk.published_this_week(wednesday_noon))
    assert list(this_week) == [monday]


def test_the_week_filter_of_the_list_uses_the_same_week(client, people, wita_writer):
    writer, unit = wita_writer
    NewsItemFactory(
        unit=unit,
        author=writer,
        published=True,
        published_at=datetime(2030, 7, 7, 15, 30, tzinfo=UTC),
        title="Minggu malam",
    )
    NewsItemFactory(
        unit=unit,
        author=writer,
        published=True,
        published_at=datetime(2030, 7, 7, 16, 30, tzinfo=UTC),
        title="Senin dini hari",
    )
    with time_machine.travel(datetime(2030, 7, 10, 4, 0, tzinfo=UTC), tick=False):
        client.force_login(writer)
        response = _list(client, saya="1", status="published", terbit="pekan-ini")
    assert _titles(response) == {"Senin dini hari"}
    assert "Hapus saringan ini" in response.content.decode()


def test_someone_who_does_not_write_sees_no_writers_summary(client, people, writers_desk):
    client.force_login(people.verifikator)
    response = _list(client)
    assert response.context["waiting"] is None
    assert 'class="desk-waiting"' not in response.content.decode()


def test_the_summary_is_one_query(people, writers_desk, django_assert_num_queries):
    people.kontributor.refresh_from_db()
    # the user's role assignments (asked once, then kept on the user), then
    # one aggregate for the four counts.
    with django_assert_num_queries(2):
        desk.writer_summary(people.kontributor)


def _card(user):
    return render_to_string("news/_dashboard_card.html", {"roles": roles_of(user), "user": user})


def test_the_dashboard_card_shows_the_writers_counts_with_their_links(people, writers_desk):
    card = _card(people.kontributor)
    for line in desk.writer_summary(people.kontributor):
        assert line.url.replace("&", "&amp;") in card
    assert "<strong>2</strong> Dikembalikan, perlu Anda revisi</a>" in card


def test_the_dashboard_card_tells_the_verifier_how_many_wait_for_them(org, people):
    card = _card(people.verifikator)
    assert "Tidak ada berita yang menunggu persetujuan Anda." in card
    _submitted(org.kua_bangil, people.kontributor)
    _submitted(org.man_pasuruan, people.kontributor_man)
    _submitted(org.kua_sidoarjo, UserFactory())  # another office's
    card = _card(people.verifikator)
    assert re.search(
        rf'<a class="button" href="{reverse("news:desk_queue")}">2 berita menunggu persetujuan Anda</a>', card
    )
    assert 'class="desk-waiting"' not in card, "a verifier writes nothing, so has no writer's counts"


# --- 2. The review page shows the item as it will be published ---------------------------------


@pytest.fixture
def item_with_photos(org, people):
    featured = NewsImageFactory(alt_text="Penyerahan buku nikah")
    item = _submitted(
        org.kua_bangil,
        people.kontributor,
        title="KUA Bangil Serahkan Buku Nikah",
        lead="Sepuluh pasangan menerima buku nikah.",
        dateline="Bangil",
        body='<p>Penyerahan berlangsung khidmat.</p><p><img src="/media/news/2026/01/isi.jpg" alt="Suasana aula"></p>',
        featured_image=featured,
        featured_caption="Kepala KUA menyerahkan buku nikah",
        reporter="Siti Aminah",
    )
    NewsItem.objects.filter(pk=item.pk).update(photo_credit="Humas KUA Bangil")
    item.refresh_from_db()
    gallery = NewsImageFactory(item=item, in_gallery=True, caption="Para pasangan berfoto bersama")
    return item, featured, gallery


def test_the_review_page_shows_the_body_and_photos_as_readers_will(client, people, item_with_photos):
    item, featured, gallery = item_with_photos
    client.force_login(people.verifikator)
    page = client.get(reverse("news:desk_detail", args=[item.pk])).content.decode()
    assert "Isi berita seperti akan terbit" in page
    assert "<p>Penyerahan berlangsung khidmat.</p>" in page
    assert '<img src="/media/news/2026/01/isi.jpg" alt="Suasana aula">' in page
    # The renditions the public page uses: full for the featured photo, card for the gallery.
    assert f'src="{featured.full.url}"' in page
    assert "Kepala KUA menyerahkan buku nikah" in page
    assert f'src="{gallery.card.url}"' in page
    assert "Para pasangan berfoto bersama" in page
    assert "<strong>Bangil — </strong>Sepuluh pasangan menerima buku nikah." in page
    assert "Penulis: Siti Aminah" in page
    assert "Penulis: Siti Aminah · Foto: Humas KUA Bangil" in page
    # Read first, then decide: the decision comes after the article.
    assert page.index("Penyerahan berlangsung khidmat.") < page.index('id="keputusan"')
    assert page.index('id="keputusan"') < page.index(reverse("news:desk_approve", args=[item.pk]))
    assert 'href="#keputusan"' in page


def test_the_writer_sees_the_same_article_without_the_decision(client, people, item_with_photos):
    item, _featured, _gallery = item_with_photos
    client.force_login(people.kontributor)
    page = client.get(reverse("news:desk_detail", args=[item.pk])).content.decode()
    assert "<p>Penyerahan berlangsung khidmat.</p>" in page
    assert 'id="keputusan"' not in page
    assert reverse("news:desk_approve", args=[item.pk]) not in page


def test_a_photo_without_renditions_yet_shows_the_original(client, org, people):
    photo = NewsImageFactory(full="", card="", thumbnail="")
    item = _submitted(org.kua_bangil, people.kontributor, featured_image=photo)
    client.force_login(people.verifikator)
    page = client.get(reverse("news:desk_detail", args=[item.pk])).content.decode()
    assert f'src="{photo.original.url}"' in page


# --- 3. Rejecting asks for a confirmation; decisions ask for their note -------------------------


def test_reject_without_confirmation_only_asks(client, org, people):
    item = _submitted(org.kua_bangil, people.kontributor)
    client.force_login(people.verifikator)
    queue = reverse("news:desk_queue")
    response = client.post(reverse("news:desk_reject", args=[item.pk]), {"note": "Duplikat.", "next": queue})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tolak berita ini?" in page
    assert "Penolakan adalah keputusan akhir." in page
    assert ">Duplikat.</textarea>" in page, "the reason typed in the queue is kept"
    assert '<input type="hidden" name="confirm" value="1">' in page
    assert f'<input type="hidden" name="next" value="{queue}">' in page
    assert f'href="{queue}">Batal</a>' in page
    item.refresh_from_db()
    assert item.status == ReviewStatus.SUBMITTED
    assert item.review_note == ""


def test_confirming_rejects_and_returns_where_the_verifier_came_from(
    client, org, people, django_capture_on_commit_callbacks, mailoutbox
):
    item = _submitted(org.kua_bangil, people.kontributor)
    client.force_login(people.verifikator)
    queue = reverse("news:desk_queue")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("news:desk_reject", args=[item.pk]),
            {"note": "Duplikat berita kemarin.", "next": queue, "confirm": "1"},
        )
    assert response["Location"] == queue
    item.refresh_from_db()
    assert (item.status, item.review_note) == (ReviewStatus.REJECTED, "Duplikat berita kemarin.")
    assert [message.to for message in mailoutbox] == [[people.kontributor.email]]


def test_confirming_without_a_reason_shows_the_workflows_message_on_the_page(client, org, people):
    item = _submitted(org.kua_bangil, people.kontributor)
    client.force_login(people.verifikator)
    response = client.post(reverse("news:desk_reject", args=[item.pk]), {"note": "  ", "confirm": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tuliskan alasan penolakan." in page
    assert 'aria-invalid="true"' in page
    item.refresh_from_db()
    assert item.status == ReviewStatus.SUBMITTED


def test_the_reject_page_opens_from_a_link_without_an_error(client, org, people):
    item = _submitted(org.kua_bangil, people.kontributor)
    client.force_login(people.verifikator)
    response = client.get(reverse("news:desk_reject", args=[item.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tuliskan alasan penolakan." not in page
    assert f'href="{reverse("news:desk_detail", args=[item.pk])}">Batal</a>' in page


def test_only_a_verifier_of_the_unit_reaches_the_reject_page(client, org, people):
    item = _submitted(org.kua_bangil, people.kontributor)
    client.force_login(people.kontributor)
    assert client.get(reverse("news:desk_reject", args=[item.pk])).status_code == 403
    client.force_login(people.verifikator_lain)
    assert client.get(reverse("news:desk_reject", args=[item.pk])).status_code == 404


def test_the_reject_page_of_an_item_already_decided_says_so(client, org, people):
    item = NewsItemFactory(unit=org.kua_bangil, author=people.kontributor, status=ReviewStatus.APPROVED)
    client.force_login(people.verifikator)
    response = client.post(
        reverse("news:desk_reject", args=[item.pk]), {"note": "Duplikat.", "confirm": "1"}, follow=True
    )
    assert "tidak lagi menunggu verifikasi" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ReviewStatus.APPROVED


def test_the_return_and_reject_forms_require_the_note_the_workflow_requires(client, org, people):
    item = _submitted(org.kua_bangil, people.kontributor)
    client.force_login(people.verifikator)
    for url in (reverse("news:desk_queue"), reverse("news:desk_detail", args=[item.pk])):
        page = client.get(url).content.decode()
        assert re.search(rf'<textarea id="return-note-{item.pk}" name="note" rows="2" required', page)
        assert re.search(rf'<textarea id="reject-note-{item.pk}" name="note" rows="2" required', page)
        assert "Catatan revisi (wajib)" in page
        assert "Alasan penolakan (wajib)" in page


# --- 4. Empty pages say so --------------------------------------------------------------------


def test_an_empty_queue_says_so_and_what_comes_next(client, people):
    client.force_login(people.verifikator)
    page = client.get(reverse("news:desk_queue")).content.decode()
    assert "Tidak ada berita yang menunggu persetujuan Anda." in page
    assert "Anda menerima surel setiap kali ada yang diajukan" in page
    assert "0 berita menunggu" not in page
    assert f'href="{reverse("core:dashboard")}"' in page


def test_an_empty_filtered_list_offers_the_whole_list(client, people):
    client.force_login(people.kontributor)
    page = _list(client, saya="1", status="rejected").content.decode()
    assert "Tidak ada berita yang cocok dengan saringan ini." in page
    assert f'href="{reverse("news:desk_list")}?saya=1">Tampilkan semua berita saya' in page


def test_a_new_units_empty_list_invites_the_first_item(client, people):
    client.force_login(people.kontributor)
    page = _list(client).content.decode()
    assert "Belum ada berita di unit Anda." in page
    assert f'href="{reverse("news:desk_create")}">Tulis berita pertama' in page


# --- 5. Tables that become cards on a phone ------------------------------------------------------


def _cells(page, table_start):
    """The opening tags of the body cells of the first table from ``table_start``."""
    table = page[page.index(table_start) :]
    table = table[: table.index("</table>")]
    body = table[table.index("<tbody>") :]
    return re.findall(r"<td[^>]*>", body)


def test_every_list_value_carries_its_columns_name_for_the_phones_cards(client, people, writers_desk):
    client.force_login(people.kontributor)
    page = _list(client).content.decode()
    cells = _cells(page, '<table class="desk-table">')
    assert cells
    titles = [cell for cell in cells if "desk-table-title" in cell]
    labelled = [cell for cell in cells if "data-label=" in cell]
    assert len(titles) + len(labelled) == len(cells)
    assert {re.search(r'data-label="([^"]+)"', cell).group(1) for cell in labelled} == {
        "Unit",
        "Status",
        "Penulis",
        "Diubah",
    }


def test_berita_saya_leaves_out_the_writer_it_is_about(client, people, writers_desk):
    client.force_login(people.kontributor)
    page = _list(client, saya="1").content.decode()
    assert "Penulis" not in page[page.index('<table class="desk-table">') :]
    assert "Penulis" in _list(client).content.decode()


def test_the_history_and_the_revisions_are_desk_tables(client, org, people):
    item = NewsItemFactory(unit=org.kua_bangil, author=people.kontributor)
    client.force_login(people.kontributor)
    client.post(reverse("news:desk_submit", args=[item.pk]))
    client.force_login(people.verifikator)
    client.post(reverse("news:desk_return", args=[item.pk]), {"note": "Tambah foto."})
    page = client.get(reverse("news:desk_detail", args=[item.pk])).content.decode()
    cells = _cells(page, '<table class="desk-table">')
    assert cells and all("data-label=" in cell for cell in cells)
    assert "@container (max-width: 639px)" in page, "the desk's styles come with the page"
    assert '<div class="table-scroll desk-table-box">' in page
    page = client.get(reverse("news:desk_revisions", args=[item.pk])).content.decode()
    assert '<table class="desk-table">' in page


@pytest.fixture
def wita_writer(wita_unit):
    writer = UserFactory()
    grant(writer, Role.KONTRIBUTOR, wita_unit)
    return writer, wita_unit
