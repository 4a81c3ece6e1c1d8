"""The news desk pages as contributors, verifiers and admins use them."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from humas_portal.core.models import Role
from humas_portal.core.policy import roles_of
from humas_portal.core.workflow import ReviewStatus
from news import views_desk
from news.models import NewsItem

from ..factories import UserFactory, grant
from .factories import NewsItemFactory

pytestmark = pytest.mark.django_db


def _png(name="foto.png", size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 60)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _form_data(unit, **overrides):
    data = {
        "title": "Kankemenag Gelar Pelatihan Kehumasan",
        "lead": "Pelatihan diikuti kontributor berita dari seluruh KUA.",
        "body": "<p>Pelatihan dibuka pagi ini.</p><script>alert(1)</script>",
        "unit": str(unit.pk),
        "tags": "kehumasan, pelatihan",
        "priority_program": "tata-kelola",
        "dateline": "Bangil",
        "reporter": "Siti",
        "editor_credit": "Ahmad",
        "event_date": "2025-08-17",
        "publish_at": "",
        "featured_caption": "",
        "photo_credit": "Humas KUA Bangil",
    }
    data.update(overrides)
    return data


def _submitted(unit, author, **kwargs):
    return NewsItemFactory(
        unit=unit, author=author, status=ReviewStatus.SUBMITTED, submitted_at=timezone.now(), **kwargs
    )


# --- Access -----------------------------------------------------------------------


def test_the_desk_needs_a_login(client):
    response = client.get(reverse("news:desk_list"))
    assert response.status_code == 302
    assert reverse("core:login") in response["Location"]


def test_someone_without_a_news_role_is_refused(client, people):
    client.force_login(people.outsider)
    assert client.get(reverse("news:desk_list")).status_code == 403
    assert client.get(reverse("news:desk_create")).status_code == 403
    assert client.get(reverse("news:desk_queue")).status_code == 403


def test_a_verifier_of_another_office_gets_404_for_the_item(client, org, people):
    item = _submitted(org.kua_bangil, people.kontributor)
    client.force_login(people.verifikator_lain)
    assert client.get(reverse("news:desk_detail", args=[item.pk])).status_code == 404
    assert client.get(reverse("news:desk_preview", args=[item.pk])).status_code == 404
    assert client.post(reverse("news:desk_approve", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert item.status == ReviewStatus.SUBMITTED


def test_a_contributor_cannot_open_the_approval_queue(client, people):
    client.force_login(people.kontributor)
    assert client.get(reverse("news:desk_queue")).status_code == 403


def test_a_contributor_posting_an_approval_is_forbidden(client, org, people):
    item = _submitted(org.kua_bangil, people.kontributor)
    client.force_login(people.kontributor)
    assert client.post(reverse("news:desk_approve", args=[item.pk])).status_code == 403
    item.refresh_from_db()
    assert item.status == ReviewStatus.SUBMITTED


def test_workflow_actions_accept_only_post(client, org, people):
    item = _submitted(org.kua_bangil, people.kontributor)
    client.force_login(people.verifikator)
    assert client.get(reverse("news:desk_approve", args=[item.pk])).status_code == 405


# --- List ---------------------------------------------------------------------------


def test_the_list_shows_only_the_units_items(client, org, people):
    own = NewsItemFactory(unit=org.kua_bangil, title="Berita KUA Bangil")
    NewsItemFactory(unit=org.man_pasuruan, title="Berita MAN Pasuruan")
    NewsItemFactory(unit=org.kua_sidoarjo, title="Berita KUA Sidoarjo")
    client.force_login(people.kontributor)
    response = client.get(reverse("news:desk_list"))
    assert [item.pk for item in response.context["page"]] == [own.pk]
    assert "Berita MAN Pasuruan" not in response.content.decode()


def test_the_list_filters_by_status_and_author(client, org, people):
    mine = NewsItemFactory(unit=org.kua_bangil, author=people.kontributor)
    colleague = NewsItemFactory(unit=org.kua_bangil)
    submitted = _submitted(org.kua_bangil, people.kontributor)
    client.force_login(people.kontributor)
    response = client.get(reverse("news:desk_list"), {"status": "submitted"})
    assert [item.pk for item in response.context["page"]] == [submitted.pk]
    response = client.get(reverse("news:desk_list"), {"saya": "1", "status": "draft"})
    assert [item.pk for item in response.context["page"]] == [mine.pk]
    response = client.get(reverse("news:desk_list"), {"status": "bogus"})
    assert {item.pk for item in response.context["page"]} == {mine.pk, colleague.pk, submitted.pk}


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_query_count_does_not_grow_with_items(client, org, people, django_assert_num_queries, count):
    for _ in range(count):
        NewsItemFactory(unit=org.man_pasuruan, category=None)
    client.force_login(people.admin_humas)
    # session, user, the user's role assignments, the writer's summary (one
    # aggregate), the page's count, the page's items with unit, author and
    # category joined.
    with django_assert_num_queries(6):
        response = client.get(reverse("news:desk_list"))
    assert len(response.context["page"]) == min(count, 20)


# --- Writing ------------------------------------------------------------------------


def test_the_create_form_preselects_the_only_unit(client, org, people):
    client.force_login(people.kontributor)
    response = client.get(reverse("news:desk_create"))
    form = response.context["form"]
    assert list(form.fields["unit"].queryset) == [org.kua_bangil]
    assert form.initial["unit"] == org.kua_bangil.pk
    assert 'class="django_ckeditor_5"' in response.content.decode()


def test_creating_sanitises_and_stores_everything(client, org, people):
    client.force_login(people.kontributor)
    response = client.post(reverse("news:desk_create"), _form_data(org.kua_bangil))
    item = NewsItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("news:desk_detail", args=[item.pk])
    assert item.body == "<p>Pelatihan dibuka pagi ini.</p>"
    assert item.status == ReviewStatus.DRAFT
    assert item.author == people.kontributor
    assert sorted(item.tags.values_list("name", flat=True)) == ["kehumasan", "pelatihan"]
    assert (item.dateline, item.reporter, item.editor_credit) == ("Bangil", "Siti", "Ahmad")
    assert item.photo_credit == "Humas KUA Bangil"
    assert item.event_date.isoformat() == "2025-08-17"
    assert item.revisions.count() == 1
    # The edit form shows it again.
    edit = client.get(reverse("news:desk_edit", args=[item.pk])).content.decode()
    assert 'value="Humas KUA Bangil"' in edit


def test_save_and_submit_in_one_step_notifies_the_verifier(
    client, org, people, django_capture_on_commit_callbacks
):
    client.force_login(people.kontributor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("news:desk_create"), {**_form_data(org.kua_bangil), "ajukan": "1"})
    item = NewsItem.objects.get()
    assert item.status == ReviewStatus.SUBMITTED
    assert [message.to for message in mail.outbox] == [[people.verifikator.email]]


def test_missing_fields_give_indonesian_errors(client, org, people):
    client.force_login(people.kontributor)
    response = client.post(
        reverse("news:desk_create"), _form_data(org.kua_bangil, title="", body="<p> </p><script>x</script>")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["title"] == ["Bidang ini tidak boleh kosong."]
    assert form.errors["body"] == ["Isi berita wajib diisi."]
    assert "Periksa kembali isian" in response.content.decode()
    assert not NewsItem.objects.exists()


def test_a_contributor_cannot_post_a_draft_for_another_unit(client, org, people):
    client.force_login(people.kontributor)
    response = client.post(reverse("news:desk_create"), _form_data(org.man_pasuruan))
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not NewsItem.objects.exists()


def test_photos_are_stored_with_the_item(client, org, people):
    client.force_login(people.kontributor)
    data = _form_data(
        org.kua_bangil,
        featured_caption="Peserta pelatihan",
        featured_image=_png("utama.png"),
        gallery=[_png("galeri-1.png"), _png("galeri-2.png")],
    )
    response = client.post(reverse("news:desk_create"), data)
    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert item.featured_image is not None
    assert item.featured_image.caption == "Peserta pelatihan"
    assert item.featured_image.item == item
    assert item.images.filter(in_gallery=True).count() == 2
    assert list(item.images.filter(in_gallery=True).values_list("position", flat=True)) == [1, 2]


def test_a_fake_photo_is_refused_with_a_clear_message(client, org, people):
    client.force_login(people.kontributor)
    fake = SimpleUploadedFile("foto.jpg", b"bukan gambar sama sekali", content_type="image/jpeg")
    response = client.post(reverse("news:desk_create"), _form_data(org.kua_bangil, featured_image=fake))
    assert response.status_code == 200
    assert "bukan gambar yang valid" in " ".join(response.context["form"].errors["featured_image"])
    assert not NewsItem.objects.exists()


def test_gallery_photos_can_be_removed(client, org, people):
    client.force_login(people.kontributor)
    client.post(reverse("news:desk_create"), _form_data(org.kua_bangil, gallery=[_png(), _png()]))
    item = NewsItem.objects.get()
    first = item.images.filter(in_gallery=True).first()
    response = client.post(
        reverse("news:desk_edit", args=[item.pk]), _form_data(org.kua_bangil, remove_images=[first.pk])
    )
    assert response.status_code == 302
    assert item.images.filter(in_gallery=True).count() == 1


def test_editing_a_draft_keeps_a_revision(client, org, people):
    item = NewsItemFactory(unit=org.kua_bangil, author=people.kontributor, body="<p>Lama</p>")
    client.force_login(people.kontributor)
    response = client.get(reverse("news:desk_edit", args=[item.pk]))
    assert response.context["form"].initial["title"] == item.title
    response = client.post(
        reverse("news:desk_edit", args=[item.pk]), _form_data(org.kua_bangil, body="<p>Baru</p>")
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.body == "<p>Baru</p>"
    assert item.revisions.count() == 2


@pytest.mark.parametrize("status", [ReviewStatus.SUBMITTED, ReviewStatus.APPROVED])
def test_a_locked_item_redirects_its_author_with_a_message(client, org, people, status):
    item = NewsItemFactory(unit=org.kua_bangil, author=people.kontributor, status=status)
    client.force_login(people.kontributor)
    detail = reverse("news:desk_detail", args=[item.pk])
    response = client.get(reverse("news:desk_edit", args=[item.pk]))
    assert response.status_code == 302
    assert response["Location"] == detail
    response = client.post(reverse("news:desk_edit", args=[item.pk]), _form_data(org.kua_bangil), follow=True)
    assert "terkunci" in response.content.decode()
    item.refresh_from_db()
    assert item.title != "Kankemenag Gelar Pelatihan Kehumasan"


def test_a_verifier_cannot_edit(client, org, people):
    item = NewsItemFactory(unit=org.kua_bangil)
    client.force_login(people.verifikator)
    assert client.get(reverse("news:desk_edit", args=[item.pk])).status_code == 403


# --- Time zones ---------------------------------------------------------------------


def test_a_publish_time_entered_in_wita_is_stored_in_utc(client, wita_unit):
    writer = UserFactory()
    grant(writer, Role.KONTRIBUTOR, wita_unit)
    client.force_login(writer)
    response = client.post(
        reverse("news:desk_create"), _form_data(wita_unit, publish_at="2030-07-01T09:00", dateline="Makassar")
    )
    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert item.publish_at == datetime(2030, 7, 1, 1, 0, tzinfo=UTC)
    page = client.get(reverse("news:desk_detail", args=[item.pk])).content.decode()
    assert "1 Juli 2030 09.00 WITA" in page
    form = client.get(reverse("news:desk_edit", args=[item.pk])).context["form"]
    assert form.initial["publish_at"] == "2030-07-01T09:00"
    assert 'value="2030-07-01T09:00"' in str(form["publish_at"])


def test_a_publish_time_in_the_past_is_refused(client, org, people):
    client.force_login(people.kontributor)
    response = client.post(
        reverse("news:desk_create"), _form_data(org.kua_bangil, publish_at="2001-01-01T09:00")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["publish_at"] == [
        "Jadwal terbit sudah lewat. Pilih waktu yang akan datang atau kosongkan."
    ]


def test_a_verifier_approves_with_a_time_in_the_units_zone(client, wita_unit):
    verifier = UserFactory()
    grant(verifier, Role.VERIFIKATOR, wita_unit.parent)
    item = _submitted(wita_unit, UserFactory())
    client.force_login(verifier)
    client.post(reverse("news:desk_approve", args=[item.pk]), {"publish_at": "2030-01-02T08:30"})
    item.refresh_from_db()
    assert item.status == ReviewStatus.APPROVED
    assert item.publish_at == datetime(2030, 1, 2, 0, 30, tzinfo=UTC)


# --- Detail, preview and actions ------------------------------------------------------


def test_the_detail_shows_status_history_and_the_authors_buttons(client, org, people):
    item = NewsItemFactory(unit=org.kua_bangil, author=people.kontributor)
    client.force_login(people.kontributor)
    client.post(reverse("news:desk_submit", args=[item.pk]))
    client.force_login(people.verifikator)
    client.post(reverse("news:desk_return", args=[item.pk]), {"note": "Tambahkan <b>foto</b> kegiatan."})
    client.force_login(people.kontributor)
    response = client.get(reverse("news:desk_detail", args=[item.pk]))
    page = response.content.decode()
    assert response.context["actions"] == {"view", "edit", "submit"}
    assert "Dikembalikan untuk revisi" in page
    assert "Tambahkan &lt;b&gt;foto&lt;/b&gt; kegiatan." in page
    assert [row["action"] for row in response.context["history"]] == [
        "Ajukan untuk verifikasi",
        "Kembalikan untuk revisi",
    ]
    assert reverse("news:desk_edit", args=[item.pk]) in page


def test_the_preview_renders_the_sanitised_body(client, org, people):
    item = NewsItemFactory(unit=org.kua_bangil, body="<p>Isi <strong>tebal</strong></p>")
    client.force_login(people.kontributor)
    response = client.get(reverse("news:desk_preview", args=[item.pk]))
    page = response.content.decode()
    assert "<p>Isi <strong>tebal</strong></p>" in page
    assert "belum terbit" in page


def test_submitting_twice_shows_the_workflow_message(client, org, people):
    item = _submitted(org.kua_bangil, people.kontributor)
    client.force_login(people.kontributor)
    response = client.post(reverse("news:desk_submit", args=[item.pk]), follow=True)
    assert "tidak dapat dilakukan karena statusnya" in response.content.decode()


def test_unpublishing_needs_a_reason(client, org, people):
    item = NewsItemFactory(unit=org.kua_bangil, published=True)
    client.force_login(people.admin_humas)
    response = client.post(reverse("news:desk_unpublish", args=[item.pk]), {"note": ""}, follow=True)
    assert "Tuliskan alasan penurunan." in response.content.decode()
    item.refresh_from_db()
    assert item.status == ReviewStatus.PUBLISHED
    client.post(reverse("news:desk_unpublish", args=[item.pk]), {"note": "Foto tanpa izin."})
    item.refresh_from_db()
    assert item.status == ReviewStatus.UNPUBLISHED
    assert item.review_note == ""  # the reason lives in the audit trail


def test_admin_reschedules_and_redrafts(client, org, people):
    item = NewsItemFactory(unit=org.kua_bangil, status=ReviewStatus.APPROVED)
    client.force_login(people.admin_humas)
    client.post(reverse("news:desk_schedule", args=[item.pk]), {"publish_at": "2031-03-04T10:15"})
    item.refresh_from_db()
    assert item.publish_at == datetime(2031, 3, 4, 3, 15, tzinfo=UTC)
    client.post(reverse("news:desk_unpublish", args=[item.pk]), {"note": "Acara ditunda."})
    client.post(reverse("news:desk_redraft", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == ReviewStatus.DRAFT


SHARE_TEMPLATE = '<a class="share-button" href="#">Bagikan {{ item.pk }}</a>'


@pytest.fixture
def with_share_template(settings):
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "APP_DIRS": False,
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {"socialmedia/_share_news_button.html": SHARE_TEMPLATE},
                    ),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]


def test_the_share_button_appears_on_a_published_item_when_available(
    client, org, people, with_share_template
):
    published = NewsItemFactory(unit=org.kua_bangil, published=True)
    draft = NewsItemFactory(unit=org.kua_bangil)
    client.force_login(people.admin_humas)
    assert (
        f"Bagikan {published.pk}"
        in client.get(reverse("news:desk_detail", args=[published.pk])).content.decode()
    )
    assert "share-button" not in client.get(reverse("news:desk_detail", args=[draft.pk])).content.decode()


def test_the_detail_works_without_the_share_template(client, org, people, monkeypatch):
    real_get_template = views_desk.get_template

    def without_share_button(name, *args, **kwargs):
        if name == views_desk.SHARE_TEMPLATE:
            raise TemplateDoesNotExist(name)
        return real_get_template(name, *args, **kwargs)

    monkeypatch.setattr(views_desk, "get_template", without_share_button)
    published = NewsItemFactory(unit=org.kua_bangil, published=True)
    client.force_login(people.admin_humas)
    response = client.get(reverse("news:desk_detail", args=[published.pk]))
    assert response.status_code == 200
    assert response.context["share_template"] is None


def test_the_detail_of_a_published_item_renders_with_the_real_share_button(client, org, people):
    published = NewsItemFactory(unit=org.kua_bangil, published=True)
    client.force_login(people.admin_humas)
    assert client.get(reverse("news:desk_detail", args=[published.pk])).status_code == 200


# --- The approval queue -----------------------------------------------------------------


def test_the_queue_lists_the_offices_submissions_oldest_first(client, org, people):
    now = timezone.now()
    newer = _submitted(org.kua_bangil, people.kontributor)
    older = _submitted(org.man_pasuruan, people.kontributor_man)
    NewsItem.objects.filter(pk=newer.pk).update(submitted_at=now - timedelta(hours=1))
    NewsItem.objects.filter(pk=older.pk).update(submitted_at=now - timedelta(days=2))
    _submitted(org.kua_sidoarjo, UserFactory())  # another office
    NewsItemFactory(unit=org.kua_bangil)  # a draft, not submitted
    client.force_login(people.verifikator)
    response = client.get(reverse("news:desk_queue"))
    assert [item.pk for item in response.context["page"]] == [older.pk, newer.pk]
    page = response.content.decode()
    assert page.count('name="csrfmiddlewaretoken"') >= 6  # three small forms per item
    assert reverse("news:desk_preview", args=[older.pk]) in page


@pytest.mark.parametrize("count", [3, 30])
def test_the_queue_query_count_does_not_grow_with_items(
    client, org, people, django_assert_num_queries, count
):
    for index in range(count):
        _submitted([org.kua_bangil, org.man_pasuruan][index % 2], people.kontributor)
    client.force_login(people.verifikator)
    # session, user, the user's role assignments, the page's count, the
    # page's items with unit, author, category and featured photo joined.
    with django_assert_num_queries(5):
        response = client.get(reverse("news:desk_queue"))
    assert len(response.context["page"]) == min(count, 10)


def test_approving_from_the_queue_returns_to_the_queue_with_a_message(
    client, org, people, django_capture_on_commit_callbacks
):
    item = _submitted(org.kua_bangil, people.kontributor)
    client.force_login(people.verifikator)
    queue = reverse("news:desk_queue")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("news:desk_approve", args=[item.pk]), {"next": queue, "publish_at": ""}
        )
    assert response.status_code == 302
    assert response["Location"] == queue
    item.refresh_from_db()
    assert item.status == ReviewStatus.PUBLISHED
    page = client.get(queue).content.decode()
    assert "disetujui" in page


def test_returning_from_the_queue_without_a_note_is_refused(client, org, people):
    item = _submitted(org.kua_bangil, people.kontributor)
    client.force_login(people.verifikator)
    queue = reverse("news:desk_queue")
    response = client.post(
        reverse("news:desk_return", args=[item.pk]), {"next": queue, "note": " "}, follow=True
    )
    assert "Tuliskan catatan revisi untuk penulis." in response.content.decode()
    item.refresh_from_db()
    assert item.status == ReviewStatus.SUBMITTED


def test_rejecting_from_the_queue(client, org, people):
    item = _submitted(org.kua_bangil, people.kontributor)
    client.force_login(people.verifikator)
    response = client.post(
        reverse("news:desk_reject", args=[item.pk]),
        {"next": reverse("news:desk_queue"), "note": "Duplikat.", "confirm": "1"},
    )
    assert response["Location"] == reverse("news:desk_queue")
    item.refresh_from_db()
    assert (item.status, item.review_note) == (ReviewStatus.REJECTED, "Duplikat.")


def test_a_foreign_next_address_is_ignored(client, org, people):
    item = _submitted(org.kua_bangil, people.kontributor)
    client.force_login(people.verifikator)
    response = client.post(
        reverse("news:desk_reject", args=[item.pk]),
        {"next": "https://evil.example/", "note": "Tidak relevan.", "confirm": "1"},
    )
    assert response["Location"] == reverse("news:desk_detail", args=[item.pk])


def test_the_second_verifier_to_decide_gets_a_message(client, org, people):
    item = _submitted(org.kua_bangil, people.kontributor)
    kabag = UserFactory()
    grant(kabag, Role.VERIFIKATOR, org.kanwil)
    client.force_login(people.verifikator)
    client.post(reverse("news:desk_reject", args=[item.pk]), {"note": "Duplikat.", "confirm": "1"})
    client.force_login(kabag)
    response = client.post(reverse("news:desk_approve", args=[item.pk]), follow=True)
    assert "tidak dapat dilakukan karena statusnya “Ditolak”" in response.content.decode()


# --- Dashboard card -----------------------------------------------------------------------


def _card(user):
    return render_to_string("news/_dashboard_card.html", {"roles": roles_of(user), "user": user})


def test_the_dashboard_card_follows_the_roles(people):
    assert apps.get_app_config("news").dashboard_card == "news/_dashboard_card.html"
    card = _card(people.kontributor)
    assert reverse("news:desk_create") in card
    assert reverse("news:desk_queue") not in card
    card = _card(people.verifikator)
    assert reverse("news:desk_queue") in card
    assert reverse("news:desk_create") not in card
    assert _card(people.outsider).strip() == ""
