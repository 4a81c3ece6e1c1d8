"""The office dashboard: each figure built from known data and read back
from the page, who may open it, and its fixed number of queries."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse

from humas_portal.core.models import UnitKind
from monitoring import selectors
from news.models import PriorityProgram as P
from tests.factories import WorkUnitFactory

from .conftest import NOW, WIB
from .factories import complaint, decided, ppid_request, published, social_post
from .helpers import figures

pytestmark = pytest.mark.django_db

URL = reverse("monitoring:dashboard")


@pytest.fixture
def page(client, mon, scene):
    client.force_login(mon.pimpinan)
    response = client.get(URL)
    assert response.status_code == 200
    return figures(response)


def test_news_published_per_unit_per_month(page, scene):
    """Published items count in their month in the office's zone; drafts,
    items taken down and items before the twelve months do not."""
    bangil = [page[f"news-{scene.bangil.pk}-{i}"] for i in range(12)]
    assert bangil == ["1"] + ["0"] * 10 + ["2"]
    man = [page[f"news-{scene.man.pk}-{i}"] for i in range(12)]
    assert man == ["0"] * 8 + ["1", "1", "0", "0"]
    assert page[f"news-{scene.bangil.pk}-total"] == "3"
    assert page[f"news-{scene.man.pk}-total"] == "2"
    assert page[f"news-{scene.kua_beji.pk}-total"] == "1"
    assert page[f"news-{scene.office.pk}-total"] == "0"
    assert f"news-{scene.sidoarjo.pk}-total" not in page


def test_month_totals_and_overall_total(page):
    assert page["month-2024-7"] == "1"
    assert page["month-2025-3"] == "1"
    assert page["month-2025-4"] == "1"
    assert page["month-2025-6"] == "4"
    assert page["month-2025-1"] == "0"
    assert "month-2024-6" not in page
    assert page["news-total"] == "7"
    assert page["unit-count"] == "5 unit"


def test_period_shown(client, mon, scene):
    client.force_login(mon.pimpinan)
    assert "Jul 2024 sampai sekarang" in client.get(URL).content.decode()


def test_priority_program_coverage(page, scene):
    """Items per program and how many units covered it; an item without a
    program counts as news but covers nothing."""
    assert page["program-haji-umrah"] == "3"  # Bangil, the MAN and Beji
    assert page["program-units-haji-umrah"] == "3"
    assert page["program-kerukunan"] == "2"
    assert page["program-units-kerukunan"] == "2"
    assert page["program-moderasi-beragama"] == "1"
    assert page["program-produk-halal"] == "0"  # only Sidoarjo covered it
    assert page["program-units-produk-halal"] == "0"
    assert page["programs-covered"] == "3"
    assert page["program-count"] == "9"
    assert page[f"programs-{scene.bangil.pk}"] == "3"
    assert page[f"programs-{scene.man.pk}"] == "1"
    assert page[f"programs-{scene.kua_beji.pk}"] == "1"
    assert page[f"programs-{scene.office.pk}"] == "0"


def test_social_posts_per_platform(page, scene):
    """Deliveries that went out, per platform; failed ones and those before
    the twelve months do not count."""
    assert page["platform-facebook"] == "1"
    assert page["platform-instagram"] == "1"
    assert page["platform-x"] == "0"
    assert page["platform-youtube"] == "1"
    assert page["platform-tiktok"] == "0"
    assert page["social-total"] == "3"
    assert page[f"social-{scene.bangil.pk}-facebook"] == "1"
    assert page[f"social-{scene.bangil.pk}-x"] == "0"
    assert page[f"social-{scene.bangil.pk}-total"] == "2"
    assert page[f"social-{scene.man.pk}-youtube"] == "1"
    assert page[f"social-{scene.man.pk}-total"] == "1"


def test_days_since_last_published_and_silent_units(page, scene):
    """The later of the last news item and the last social post, in days
    of the unit's zone; more than seven days (or never) is silent."""
    assert page[f"days-{scene.bangil.pk}"] == "1"  # news 17 June 23:30 WIB
    assert page[f"days-{scene.man.pk}"] == "1"  # news in April, a post on 17 June
    assert page[f"days-{scene.kua_beji.pk}"] == "7"  # 11 June 00:30 WIB, not 10 June
    assert page[f"days-{scene.mtsn.pk}"] == "8"
    assert page[f"days-{scene.office.pk}"] == "–"
    assert page[f"status-{scene.kua_beji.pk}"] == "Aktif"
    assert page[f"status-{scene.mtsn.pk}"] == "Tidak aktif"
    assert page[f"status-{scene.office.pk}"] == "Belum pernah terbit"
    assert page["silent-count"] == "2"


def test_silent_threshold_is_a_setting(client, mon, scene, settings):
    settings.MONITORING_SILENT_DAYS = 6
    client.force_login(mon.pimpinan)
    page = figures(client.get(URL))
    assert page[f"status-{scene.kua_beji.pk}"] == "Tidak aktif"
    assert page["silent-count"] == "3"


def test_approval_time_per_unit_and_overall(page, scene):
    """Hours from submission to decision of items decided in the twelve
    months; an item waiting again after a return is left out."""
    assert page[f"decided-{scene.bangil.pk}"] == "3"
    assert page[f"median-{scene.bangil.pk}"] == "4,0"
    assert page[f"average-{scene.bangil.pk}"] == "6,0"
    assert page[f"decided-{scene.man.pk}"] == "2"
    assert page[f"median-{scene.man.pk}"] == "15,0"
    assert page[f"average-{scene.man.pk}"] == "15,0"
    assert page[f"median-{scene.office.pk}"] == "–"
    assert page["approval-median"] == page["median-all"] == "10,0"
    assert page["approval-average"] == page["average-all"] == "9,6"
    assert page["decided-all"] == "5"
    assert page["approval-basis"] == "jam rata-rata, dari 5 berita diputuskan"


def test_ppid_requests_open_and_overdue(page, scene):
    """Open requests, and those past the deadline (the extended one when
    extended); answered requests and other offices' do not count."""
    assert page[f"ppid-open-{scene.office.pk}"] == "4"
    assert page[f"ppid-overdue-{scene.office.pk}"] == "2"
    assert page["ppid-open"] == "4"
    assert page["ppid-overdue"] == "2"


def test_dumas_complaints_open_and_overdue(page, scene):
    """Open complaints and those past their current stage's deadline; on
    hold is open but waits for the complainant; whistleblowing is never
    counted."""
    assert page[f"dumas-open-{scene.bangil.pk}"] == "4"
    assert page[f"dumas-overdue-{scene.bangil.pk}"] == "2"
    assert page[f"dumas-open-{scene.man.pk}"] == "1"
    assert page[f"dumas-overdue-{scene.man.pk}"] == "0"
    assert page["dumas-open"] == "5"
    assert page["dumas-overdue"] == "2"


def test_approval_times_per_unit_and_overall(scene):
    """Median and average hours per unit and for the office as a whole; the
    overall median is the median of every item (10 h), not of the units'
    medians (4 h and 15 h)."""
    ids = [scene.office.pk, scene.bangil.pk, scene.man.pk, scene.kua_beji.pk, scene.mtsn.pk]
    period = selectors.last_twelve_months(WIB, NOW)
    per_unit, overall = selectors.approval_times(ids, period)
    assert (overall.decided, overall.median_hours, overall.average_hours) == (5, 10, pytest.approx(9.6))
    assert per_unit.keys() == {scene.bangil.pk, scene.man.pk}
    assert (per_unit[scene.bangil.pk].median_hours, per_unit[scene.bangil.pk].average_hours) == (4, 6)
    assert (per_unit[scene.man.pk].median_hours, per_unit[scene.man.pk].average_hours) == (15, 15)


def test_months_are_read_in_the_office_zone(org, frozen):
    """An office in WITA counts an item published at 00:30 WITA on 1 June
    (31 May in WIB) in June."""
    org.pasuruan.timezone = "Asia/Makassar"
    org.pasuruan.save()
    makassar = org.pasuruan.tzinfo
    published(org.kua_bangil, datetime(2025, 6, 1, 0, 30, tzinfo=makassar))
    data = selectors.dashboard_for(org.pasuruan)
    assert [c.total for c in data.months if c.month.key == (2025, 6)] == [1]
    assert [c.total for c in data.months if c.month.key == (2025, 5)] == [0]


# --- Access ------------------------------------------------------------------


@pytest.mark.parametrize("person", ["pimpinan", "admin_humas", "verifikator"])
def test_office_roles_see_their_dashboard(client, mon, org, person):
    client.force_login(getattr(mon, person))
    response = client.get(URL)
    assert response.status_code == 200
    assert org.pasuruan.name in response.content.decode()


@pytest.mark.parametrize("person", ["kontributor", "ppid", "outsider"])
def test_other_people_are_refused(client, mon, person):
    client.force_login(getattr(mon, person))
    assert client.get(URL).status_code == 403


def test_another_office_is_refused(client, mon, org):
    client.force_login(mon.verifikator)
    assert client.get(URL, {"kantor": org.sidoarjo.pk}).status_code == 403
    assert client.get(URL, {"kantor": "abc"}).status_code == 404


def test_anonymous_goes_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("core:login") in response["Location"]


def test_person_with_several_offices_picks_one(client, mon, org):
    """Without ?kantor= the page lists the offices; each link opens one."""
    client.force_login(mon.pimpinan_dua)
    response = client.get(URL)
    body = response.content.decode()
    assert f'href="{URL}?kantor={org.pasuruan.pk}"' in body
    assert f'href="{URL}?kantor={org.sidoarjo.pk}"' in body
    response = client.get(URL, {"kantor": org.sidoarjo.pk})
    assert response.status_code == 200
    assert response.context["office"] == org.sidoarjo
    # The page offers the other office to switch to.
    assert f'<option value="{org.pasuruan.pk}">' in response.content.decode()


def test_kanwil_sees_every_unit_below(client, mon, org, frozen):
    published(org.kua_sidoarjo, NOW - timedelta(days=1))
    published(org.kua_bangil, NOW - timedelta(days=1))
    client.force_login(mon.pimpinan_kanwil)
    page = figures(client.get(URL, {"kantor": org.kanwil.pk}))
    assert page["news-total"] == "2"
    assert page[f"news-{org.kua_sidoarjo.pk}-total"] == "1"


# --- Queries -----------------------------------------------------------------


def _fill(office, count: int):
    """``count`` units under ``office``, each with a published item, a post,
    a decided item, a PPID request and a complaint."""
    for n in range(count):
        unit = WorkUnitFactory(parent=office, kind=UnitKind.KUA)
        published(unit, NOW - timedelta(days=n % 20), P.KERUKUNAN)
        social_post(unit, NOW - timedelta(days=2))
        decided(unit, NOW - timedelta(days=3), 5)
        ppid_request(unit, received_on=date(2025, 6, 2), due_on=date(2025, 6, 16))
        complaint(unit, verify_due=date(2025, 6, 10))


@pytest.mark.parametrize("units", [3, 30])
def test_query_count_does_not_grow_with_units(client, mon, org, frozen, django_assert_num_queries, units):
    """The same queries for 3 units as for 30."""
    _fill(org.pasuruan, units)
    client.force_login(mon.pimpinan)
    # session, user, the user's roles, the offices to choose from; then the
    # units with their last publications, news per month, news per program,
    # social posts per platform, approval times (per unit and overall in one), PPID
    # and Dumas backlogs.
    with django_assert_num_queries(11):
        response = client.get(URL)
    assert response.status_code == 200
    assert figures(response)["news-total"] == str(units)
