"""Prepared statements for the public pages' fixed reads
(``humas_portal.core.prepared``)."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from humas_portal.core import prepared
from news.selectors import invalidate_public_cache
from tests.news.factories import NewsImageFactory, NewsItemFactory, TagFactory

pytestmark = pytest.mark.django_db

UNITS = "SELECT name FROM core_workunit WHERE is_active = %s AND name LIKE %s || '%%' ORDER BY name"


def held() -> set[str]:
    """The statements this session holds."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


def units(prefix: str) -> tuple[list[str], str]:
    """The names ``UNITS`` finds, and the SQL sent for them."""
    with CaptureQueriesContext(connection) as sent, connection.cursor() as cursor:
        prepared.execute(cursor, UNITS, [True, prefix])
        names = [row[0] for row in cursor.fetchall()]
    assert len(sent) == 1  # one round trip, prepared or not
    return names, sent[0]["sql"]


@pytest.fixture
def fresh_connection(org):
    """A session that has prepared nothing yet."""
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    connection._prepared_statements = None
    return org


def test_a_statement_is_prepared_on_its_second_run_and_executed_by_name_after(fresh_connection):
    expected = ["KUA Kecamatan Bangil"]

    first, sql = units("KUA Kecamatan Ba")
    assert first == expected
    assert sql.startswith("SELECT") and not held()

    second, sql = units("KUA Kecamatan Ba")
    assert second == expected
    assert sql.startswith("PREPARE hp_")
    (name,) = held()

    third, sql = units("KUA Kecamatan Ba")
    assert third == expected
    assert sql.startswith(f"EXECUTE {name} (")
    # Other values, same statement: LIKE's % wildcard reached PostgreSQL.
    assert units("Kankemenag Kabupaten P")[0] == ["Kankemenag Kabupaten Pasuruan"]
    assert units("nothing like it")[0] == []
    assert held() == {name}


def test_the_numbered_statement_keeps_its_escaped_percent_signs():
    assert prepared._numbered("a = %s AND b LIKE %s || '%%'") == "a = $1 AND b LIKE $2 || '%%'"


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_again(fresh_connection):
    units("KUA")
    units("KUA")
    before = connection._prepared_statements
    connection.close()
    connection.ensure_connection()

    assert units("KUA")[1].startswith("SELECT")
    assert units("KUA")[1].startswith("PREPARE")
    assert connection._prepared_statements is not before


def test_a_session_that_lost_its_statements_fails_once_then_prepares_anew(fresh_connection):
    units("KUA")
    units("KUA")
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # as DISCARD ALL or a pooler would

    with pytest.raises(DatabaseError), transaction.atomic():
        units("KUA")

    assert units("KUA Kecamatan Ba")[0] == ["KUA Kecamatan Bangil"]
    names, sql = units("KUA Kecamatan Ba")
    assert names == ["KUA Kecamatan Bangil"]
    assert sql.startswith("PREPARE")
    assert units("KUA Kecamatan Ba")[1].startswith("EXECUTE")


def test_a_statement_prepared_in_a_run_that_failed_is_not_prepared_again(fresh_connection):
    units("KUA")
    # The run that prepares fails in its EXECUTE: the PREPARE outlives the
    # failed transaction.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        prepared.execute(cursor, UNITS, ["not a boolean", "KUA"])
    assert len(held()) == 1

    for _ in range(3):
        assert units("KUA Kecamatan Ba")[0] == ["KUA Kecamatan Bangil"]
    assert len(held()) == 2


def test_switched_off_every_run_is_plain_sql(fresh_connection, settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    for _ in range(3):
        names, sql = units("KUA Kecamatan Ba")
        assert names == ["KUA Kecamatan Bangil"]
        assert sql.startswith("SELECT")
    assert not held()


def test_news_pages_run_prepared_reads_and_show_the_same(client, fresh_connection, settings):
    tag = TagFactory(name="madrasah")
    item = NewsItemFactory(published=True, unit=fresh_connection.kua_bangil, featured_image=NewsImageFactory())
    item.tags.add(tag)
    other = NewsItemFactory(published=True, unit=fresh_connection.kua_bangil)
    other.tags.add(tag)

    def page() -> tuple[bytes, list[str]]:
        invalidate_public_cache()
        with CaptureQueriesContext(connection) as sent:
            response = client.get(item.get_absolute_url(), HTTP_USER_AGENT="humas-test")
        assert response.status_code == 200
        return response.content, [query["sql"].split(" ", 1)[0] for query in sent]

    settings.DATABASE_PREPARED_STATEMENTS = False
    plain, _sent = page()
    settings.DATABASE_PREPARED_STATEMENTS = True
    page()
    page()
    shown, sent = page()

    # The item, its tags and the related cards by name; the candidates,
    # whose statement changes with the number of tags, as SQL.
    assert sent == ["EXECUTE", "EXECUTE", "SELECT", "EXECUTE"]
    # The same page but for the reads counted since.
    assert b"Dibaca 1 kali" in plain
    assert shown.replace(b"Dibaca 4 kali", b"Dibaca 1 kali") == plain


def test_the_connection_plans_prepared_statements_once_for_every_value():
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"
