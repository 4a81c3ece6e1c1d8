from datetime import UTC, datetime

from django.template import Context, Template

from humas_portal.core.models import WorkUnit


def render(template: str, **context) -> str:
    return Template("{% load portal %}" + template).render(Context(context))


def test_in_unit_tz_survives_the_date_filter():
    """09:00 WITA (01:00 UTC) shows as 09.00 even though the active zone is WIB."""
    unit = WorkUnit(timezone="Asia/Makassar")
    moment = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    assert (
        render('{{ t|in_unit_tz:unit|date:"H:i" }} {{ unit|tz_abbr }}', t=moment, unit=unit) == "09:00 WITA"
    )


def test_in_unit_tz_for_wit():
    unit = WorkUnit(timezone="Asia/Jayapura")
    moment = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    assert render('{{ t|in_unit_tz:unit|date:"H:i" }} {{ unit|tz_abbr }}', t=moment, unit=unit) == "10:00 WIT"
