"""The English interface: a visitor who picks English in the footer reads the
public pages and the sign-in page in English, and the English catalog is
complete, free of fuzzy guesses and keeps every placeholder of its source."""

import ipaddress
import re
import secrets
from gettext import GNUTranslations
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.news.factories import NewsItemFactory
from tests.ppid.factories import DipEntryFactory, PpidProfileFactory

pytestmark = pytest.mark.django_db

CATALOG = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


def fresh_client(language=None):
    # Public forms count submissions per address in the shared Redis; a
    # fresh address keeps this module out of other tests' budgets.
    client = Client(REMOTE_ADDR=str(ipaddress.IPv4Address(0xC6120000 + secrets.randbelow(0x20000))))
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def english():
    return fresh_client("en")


def page_text(response):
    assert response.status_code == 200
    return response.content.decode()


def assert_english(html, present, absent):
    assert '<html lang="en">' in html
    for text in present:
        assert text in html, f"missing English text: {text!r}"
    for text in absent:
        assert text not in html, f"Indonesian text still shown: {text!r}"


class TestSwitching:
    def test_the_footer_link_switches_to_english_and_back(self):
        """The footer link stores the choice in the language cookie and
        returns the visitor to the page they were reading."""
        client = fresh_client()
        login = reverse("core:login")
        indonesian = page_text(client.get(login))
        assert "Lupa kata sandi?" in indonesian
        assert f'href="/akun/bahasa/en/?next={login}"' in indonesian

        response = client.get("/akun/bahasa/en/", {"next": login})
        assert response.status_code == 302
        assert response["Location"] == login
        assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
        english = page_text(client.get(login))
        assert_english(english, ["Forgot your password?"], ["Lupa kata sandi?"])

        client.get("/akun/bahasa/id/", {"next": login})
        assert "Lupa kata sandi?" in page_text(client.get(login))

    def test_indonesian_stays_the_default(self):
        """Without a choice, a visitor reads the portal in Indonesian."""
        html = page_text(fresh_client().get(reverse("core:login")))
        assert '<html lang="id">' in html
        assert "Untuk kontributor, verifikator" in html
        assert "For contributors, reviewers" not in html


class TestEnglishPages:
    def test_login_page(self, english):
        html = page_text(english.get(reverse("core:login")))
        assert_english(
            html,
            [
                "<h1>Sign in</h1>",
                "For contributors, reviewers, humas managers, PPID and complaint officers.",
                "Forgot your password?",
                "Ministry of Religious Affairs of the Republic of Indonesia",
            ],
            ["<h1>Masuk</h1>", "Lupa kata sandi?", "Kementerian Agama Republik Indonesia"],
        )

    def test_a_failed_login_explains_itself_in_english(self, english, people):
        response = english.post(
            reverse("core:login"), {"username": "kontributor", "password": "salah-sekali"}
        )
        html = page_text(response)
        assert_english(html, ["Wrong username or password."], ["Nama pengguna atau kata sandi salah."])

    def test_home_page(self, english, org):
        NewsItemFactory(published=True, unit=org.kua_bangil, title="Bimbingan Perkawinan di KUA Bangil")
        html = page_text(english.get(reverse("news:home")))
        assert_english(
            html,
            [
                "Latest news",
                "All the latest news",
                "Subscribe by email",
                "Bimbingan Perkawinan di KUA Bangil",
            ],
            ["Berita terbaru", "Semua berita terbaru", "Langganan lewat email"],
        )

    def test_news_detail(self, english, org):
        item = NewsItemFactory(published=True, unit=org.kua_bangil)
        html = page_text(english.get(item.get_absolute_url()))
        # The news itself stays as written; the page around it is English.
        assert item.title in html
        assert_english(
            html,
            ["Religious services", "Read 1 time", "Skip to content"],
            ["Layanan keagamaan", "Dibaca 1 kali", "Langsung ke isi"],
        )

    def test_ppid_page_of_a_unit(self, english, org):
        PpidProfileFactory(unit=org.pasuruan)
        DipEntryFactory(unit=org.pasuruan, title="Laporan keuangan 2025")
        html = page_text(english.get(reverse("ppid:unit", kwargs={"slug": org.pasuruan.slug})))
        assert_english(
            html,
            [
                "Make an information request",
                "Public Information List",
                "Service hours",
                "Written notice within 10 working days of receiving the request.",
                "Laporan keuangan 2025",
            ],
            [
                "Ajukan permohonan informasi",
                "Daftar Informasi Publik",
                "Jam layanan",
                "Pemberitahuan tertulis paling lambat",
            ],
        )

    def test_complaint_form(self, english, org):
        html = page_text(english.get(reverse("dumas:create", kwargs={"slug": org.kua_bangil.slug})))
        assert_english(
            html,
            [
                "Submit a report",
                "Send report",
                "Report type",
                "Anonymous: no name or contact details, I follow up with the tracking code",
                "Fields marked * are required.",
            ],
            ["Sampaikan laporan", "Kirim laporan", "Jenis laporan", "Anonim: tanpa nama"],
        )


# -- The catalog ------------------------------------------------------------

ENTRY_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$')
CONTINUATION = re.compile(r'^"(.*)"$')
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def unquote(text):
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def parse_po(path):
    """The entries of a .po file as dicts of keyword → text, plus 'flags'."""
    entries, entry, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry if entry is not None else {"flags": set()}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#~"):
            entry["obsolete"] = True
        elif match := ENTRY_KEYWORD.match(line):
            key = match.group(1)
            entry[key] = unquote(match.group(2))
        elif (match := CONTINUATION.match(line)) and key:
            entry[key] += unquote(match.group(1))
    return entries


@pytest.fixture(scope="module")
def catalog():
    entries = parse_po(CATALOG / "django.po")
    header = next(e for e in entries if e["msgid"] == "")
    return header, [e for e in entries if e["msgid"]]


class TestCatalog:
    def test_every_entry_is_translated_and_none_is_fuzzy(self, catalog):
        header, entries = catalog
        assert len(entries) > 1000
        assert "fuzzy" not in header["flags"]
        assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"]
        untranslated = [
            e["msgid"]
            for e in entries
            if not all(e[k].strip() for k in e if k.startswith("msgstr"))
            or ("msgid_plural" in e and not {"msgstr[0]", "msgstr[1]"} <= e.keys())
        ]
        assert untranslated == []
        assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []
        assert [e["msgid"] for e in entries if e.get("obsolete")] == []

    def test_every_placeholder_survives_translation(self, catalog):
        _, entries = catalog
        broken = []
        for e in entries:
            if "msgid_plural" in e:
                pairs = [(e["msgid"], e["msgstr[0]"]), (e["msgid_plural"], e["msgstr[1]"])]
            else:
                pairs = [(e["msgid"], e["msgstr"])]
            for source, translation in pairs:
                if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation)):
                    broken.append(source)
        assert broken == []

    def test_the_compiled_catalog_matches_the_source(self, catalog):
        """The .mo is committed (servers have no gettext tools), so it must be
        compiled from the current .po."""
        _, entries = catalog
        with open(CATALOG / "django.mo", "rb") as handle:
            compiled = GNUTranslations(handle)
        stale = []
        for e in entries:
            if "msgid_plural" in e:
                got = [compiled.ngettext(e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
                want = [e["msgstr[0]"], e["msgstr[1]"]]
            else:
                got, want = compiled.gettext(e["msgid"]), e["msgstr"]
            if got != want:
                stale.append(e["msgid"])
        assert stale == []
