"""Content-Security-Policy: every page says scripts come only from the
portal itself, and no template carries a script the policy would block."""

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.mark.parametrize("path", ["/", "/akun/masuk/", "/ppid/", "/pengaduan/", "/tidak-ada/"])
def test_every_page_allows_only_the_portals_own_scripts_and_no_framing(client, path):
    policy = directives(client.get(path))
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in policy["script-src"]


def test_no_template_has_an_inline_script_or_an_event_handler_attribute():
    found = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER):
            found += [
                f"{template.relative_to(TEMPLATES)}: {match.group(0)}" for match in pattern.finditer(text)
            ]
    assert found == []
