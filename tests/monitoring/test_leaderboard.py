"""The leaderboard: scores from known data for a chosen period, shared
ranks, sorting, the period form and a fixed number of queries."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from humas_portal.core.models import UnitKind
from news.models import PriorityProgram as P
from tests.factories import WorkUnitFactory

from .conftest import NOW, WIB
from .factories import published, social_post
from .helpers import figures

pytestmark = pytest.mark.django_db

URL = reverse("monitoring:leaderboard")


def _board(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def test_scores_and_shared_ranks_this_month(client, mon, scene):
    """June 2025 with 3 points per item, 1 per post and 5 per program:
    Bangil 2 items, 2 posts, 2 programs = 18; Beji and the MTsN 1 item and 1
    program each = 8, sharing rank 2; the MAN's post in June = 1."""
    page = figures(_board(client, mon.pimpinan))
    assert page[f"news-{scene.bangil.pk}"] == "2"
    assert page[f"social-{scene.bangil.pk}"] == "2"
    assert page[f"programs-{scene.bangil.pk}"] == "2"
    assert page[f"score-{scene.bangil.pk}"] == "18"
    assert page[f"score-{scene.kua_beji.pk}"] == "8"
    assert page[f"score-{scene.mtsn.pk}"] == "8"
    assert page[f"score-{scene.man.pk}"] == "1"
    assert page[f"score-{scene.office.pk}"] == "0"
    ranks = {
        unit: page[f"rank-{getattr(scene, unit).pk}"]
        for unit in ("bangil", "kua_beji", "mtsn", "man", "office")
    }
    assert ranks == {"bangil": "1", "kua_beji": "2", "mtsn": "2", "man": "4", "office": "5"}
    assert f"score-{scene.sidoarjo.pk}" not in page


def test_rows_come_in_score_order(client, mon, scene):
    response = _board(client, mon.pimpinan)
    assert [row.unit for row in response.context["rows"]][:1] == [scene.bangil]
    assert [row.score for row in response.context["rows"]] == [18, 8, 8, 1, 0]


def test_sort_by_column_keeps_the_ranks(client, mon, scene):
    """?sort=medsos orders by social posts; the rank still follows the score."""
    response = _board(client, mon.pimpinan, sort="medsos")
    rows = response.context["rows"]
    assert [r.social for r in rows] == sorted((r.social for r in rows), reverse=True)
    assert rows[0].unit == scene.bangil
    assert rows[1].unit == scene.man and rows[1].rank == 4
    unknown = _board(client, mon.pimpinan, sort="; DROP TABLE")
    assert unknown.context["sort"] == "skor"


def test_last_year_and_custom_periods(client, mon, scene):
    """Last year (2024) holds only Bangil's July item (moderasi) and the
    item of June 2024; a custom range picks exactly its days."""
    page = figures(_board(client, mon.pimpinan, periode="tahun-lalu"))
    assert page[f"news-{scene.bangil.pk}"] == "2"
    assert page[f"programs-{scene.bangil.pk}"] == "1"
    assert page[f"score-{scene.bangil.pk}"] == "11"
    page = figures(_board(client, mon.pimpinan, periode="tanggal", dari="2025-06-10", sampai="2025-06-11"))
    assert page[f"news-{scene.kua_beji.pk}"] == "1"
    assert page[f"news-{scene.mtsn.pk}"] == "1"
    assert page[f"news-{scene.bangil.pk}"] == "0"
    assert page[f"social-{scene.bangil.pk}"] == "2"


def test_twelve_months_and_this_year(client, mon, scene):
    page = figures(_board(client, mon.pimpinan, periode="12-bulan"))
    assert page[f"news-{scene.bangil.pk}"] == "3"
    page = figures(_board(client, mon.pimpinan, periode="tahun-ini"))
    assert page[f"news-{scene.bangil.pk}"] == "2"
    assert page[f"news-{scene.man.pk}"] == "2"


def test_a_wrong_period_is_explained(client, mon, scene):
    response = _board(client, mon.pimpinan, periode="tanggal", dari="2025-06-11", sampai="2025-06-01")
    assert "Tanggal awal harus sebelum atau sama dengan tanggal akhir." in response.content.decode()
    # The board still shows this month.
    assert figures(response)[f"score-{scene.bangil.pk}"] == "18"
    response = _board(client, mon.pimpinan, periode="tanggal", dari="2025-06-11")
    assert "Isi tanggal awal dan tanggal akhir periode." in response.content.decode()
    response = _board(client, mon.pimpinan, periode="tanggal", dari="2021-01-01", sampai="2025-06-11")
    assert "Periode paling panjang tiga tahun." in response.content.decode()
    response = _board(client, mon.pimpinan, periode="sepanjang-masa")
    assert response.context["form"].errors["periode"]
    assert figures(response)[f"score-{scene.bangil.pk}"] == "18"


def test_points_come_from_settings(client, mon, scene, settings):
    settings.MONITORING_SCORE_NEWS = 10
    settings.MONITORING_SCORE_SOCIAL = 0
    settings.MONITORING_SCORE_PROGRAM = 1
    response = _board(client, mon.pimpinan)
    assert figures(response)[f"score-{scene.bangil.pk}"] == "22"
    assert "Skor = 10 poin × berita terbit + 0 poin × unggahan media sosial terbit + 1 poin" in (
        response.content.decode()
    )


@pytest.mark.parametrize("person", ["kontributor", "ppid", "outsider"])
def test_other_people_are_refused(client, mon, person):
    client.force_login(getattr(mon, person))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("units", [3, 30])
def test_query_count_does_not_grow_with_units(client, mon, org, frozen, django_assert_num_queries, units):
    for n in range(units):
        unit = WorkUnitFactory(parent=org.pasuruan, kind=UnitKind.MIN)
        published(unit, NOW - timedelta(days=1), P.MODERASI)
        social_post(unit, NOW - timedelta(days=n % 5))
    client.force_login(mon.admin_humas)
    # session, user, the user's roles, the offices to choose from, the
    # units, news per program, social posts per platform.
    with django_assert_num_queries(7):
        response = client.get(URL)
    assert len(response.context["rows"]) == units + 3  # with the office, Bangil and the MAN


@pytest.mark.parametrize(
    "choice, first, last",
    [
        ("bulan-ini", "2025-06-01", "2025-06-30"),
        ("bulan-lalu", "2025-05-01", "2025-05-31"),
        ("triwulan-ini", "2025-04-01", "2025-06-30"),
        ("tahun-ini", "2025-01-01", "2025-12-31"),
        ("tahun-lalu", "2024-01-01", "2024-12-31"),
        ("12-bulan", "2024-07-01", "2025-06-30"),
        ("", "2025-06-01", "2025-06-30"),
    ],
)
def test_period_choices(choice, first, last):
    """On 18 June 2025 each choice covers these whole days."""
    from monitoring.forms import PeriodForm

    form = PeriodForm({"periode": choice}, tz=WIB, now=NOW)
    period = form.period()
    assert (period.first_day.isoformat(), period.last_day.isoformat()) == (first, last)
    assert period.start == datetime(*map(int, first.split("-")), tzinfo=WIB)
