"""The shared rate limit and form guard for public forms."""

import re
import threading
import uuid

import pytest
import time_machine
from django import forms
from django.conf import settings
from django.core import signing
from django.http import HttpResponse
from django.test import RequestFactory

from humas_portal.core import ratelimit
from humas_portal.core.ratelimit import GuardedFormMixin


@pytest.fixture
def scope():
    # Counters live in the shared Redis; a fresh scope per test keeps tests
    # (and earlier runs) from seeing each other's hits.
    return f"test-{uuid.uuid4().hex}"


def post(address="203.0.113.7", **meta):
    return RequestFactory().post("/", REMOTE_ADDR=address, **meta)


class ContactForm(GuardedFormMixin, forms.Form):
    guard_scope = "test-contact"
    guard_min_seconds = 3
    guard_max_age_seconds = 3600

    message = forms.CharField()


def token_of(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def guard_inputs(form) -> dict[str, str]:
    """The hidden inputs a browser would send back, read from the HTML."""
    return {"form_token": token_of(str(form.render_guard())), "situs_web": ""}


def solve(form_html: str) -> str:
    """Answer the arithmetic question the way a person reads it."""
    words = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8}
    words["sembilan"] = 9
    match = re.search(r"Berapa hasil (\w+) ditambah (\w+)\?", form_html)
    return str(words[match.group(1)] + words[match.group(2)])


class TestClientAddress:
    def test_without_trusted_proxies_the_forwarded_header_is_ignored(self, settings):
        """A client cannot dodge the limit by sending its own X-Forwarded-For."""
        settings.RATELIMIT_TRUSTED_PROXIES = 0
        request = post("198.51.100.1", HTTP_X_FORWARDED_FOR="10.9.9.9")
        assert ratelimit.client_address(request) == "198.51.100.1"

    def test_behind_one_proxy_the_last_hop_is_the_client(self, settings):
        settings.RATELIMIT_TRUSTED_PROXIES = 1
        request = post("10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.23")
        assert ratelimit.client_address(request) == "198.51.100.23"

    def test_ipv6_addresses_are_grouped_by_64(self, settings):
        settings.RATELIMIT_TRUSTED_PROXIES = 0
        one = ratelimit.client_address(post("2001:db8:1:2::1"))
        other = ratelimit.client_address(post("2001:db8:1:2:ffff::9"))
        assert one == other == "2001:db8:1:2::/64"


class TestCounters:
    def test_hits_count_per_address_and_reset_with_the_window(self, scope):
        with time_machine.travel(1_800_000_000, tick=False):
            assert [ratelimit.hit(post(), scope=scope, window=60) for _ in range(3)] == [1, 2, 3]
            assert ratelimit.hit(post("198.51.100.99"), scope=scope, window=60) == 1
            assert ratelimit.peek(post(), scope=scope, window=60) == 3
        with time_machine.travel(1_800_000_000 + 61, tick=False):
            assert ratelimit.hit(post(), scope=scope, window=60) == 1

    def test_concurrent_hits_are_all_counted(self, scope):
        """Forty parallel requests end at forty: none slips past the limit."""
        results = []

        def worker():
            for _ in range(4):
                results.append(ratelimit.hit(post(), scope=scope, window=600))

        threads = [threading.Thread(target=worker) for _ in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == list(range(1, 41))

    def test_cache_keys_do_not_contain_the_address(self, scope):
        key, _remaining = ratelimit._bucket(scope, "198.51.100.77", 60)
        assert "198.51.100.77" not in key


class TestDecorator:
    def make_view(self, scope, **options):
        @ratelimit.ratelimit(scope=scope, limit=3, window=3600, soft_limit=1, **options)
        def view(request):
            usage = request.ratelimit
            return HttpResponse(f"{usage.count} {usage.challenge_required}")

        return view

    def test_posts_over_the_limit_get_429_with_retry_after(self, scope):
        view = self.make_view(scope)
        statuses = [view(post()).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = view(post())
        assert int(refused["Retry-After"]) > 0
        assert "coba lagi" in refused.content.decode().lower()

    def test_another_address_still_gets_through(self, scope):
        view = self.make_view(scope)
        for _ in range(5):
            view(post("198.51.100.5"))
        assert view(post("198.51.100.6")).status_code == 200

    def test_get_requests_are_not_counted_but_see_the_challenge_coming(self, scope):
        view = self.make_view(scope)
        request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.50")
        for _ in range(5):
            assert view(request).status_code == 200
        assert view(RequestFactory().get("/", REMOTE_ADDR="203.0.113.50")).content == b"1 False"
        view(post("203.0.113.50"))
        assert view(RequestFactory().get("/", REMOTE_ADDR="203.0.113.50")).content == b"2 True"

    def test_limits_may_come_from_callables_read_per_request(self, scope, settings):
        settings.TEST_LIMIT = 1

        @ratelimit.ratelimit(scope=scope, limit=lambda: settings.TEST_LIMIT, window=60)
        def view(request):
            return HttpResponse("ok")

        assert view(post()).status_code == 200
        assert view(post()).status_code == 429
        settings.TEST_LIMIT = 5
        assert view(post()).status_code == 200


@pytest.mark.django_db
class TestGuard:
    def fresh(self, challenge=False):
        return ContactForm(challenge=challenge)

    def test_a_person_who_takes_a_few_seconds_gets_through(self):
        with time_machine.travel(1_800_000_000, tick=False) as traveller:
            data = {"message": "Halo", **guard_inputs(self.fresh())}
            traveller.shift(20)
            form = ContactForm(data)
            assert form.is_valid(), form.errors

    def test_a_form_sent_within_seconds_is_refused(self):
        with time_machine.travel(1_800_000_000, tick=False) as traveller:
            data = {"message": "Halo", **guard_inputs(self.fresh())}
            traveller.shift(1)
            form = ContactForm(data)
            assert not form.is_valid()
            assert "terlalu cepat" in form.non_field_errors()[0]

    def test_a_stale_form_is_refused_and_can_be_sent_again(self):
        with time_machine.travel(1_800_000_000, tick=False) as traveller:
            data = {"message": "Halo", **guard_inputs(self.fresh())}
            traveller.shift(3601)
            form = ContactForm(data)
            assert not form.is_valid()
            assert "terlalu lama" in form.non_field_errors()[0]
            # The page shows the form again with a fresh token.
            again = {"message": "Halo", **guard_inputs(form)}
            traveller.shift(5)
            assert ContactForm(again).is_valid()

    def test_a_filled_honeypot_is_refused(self):
        with time_machine.travel(1_800_000_000, tick=False) as traveller:
            data = {"message": "Halo", **guard_inputs(self.fresh()), "situs_web": "http://spam.example"}
            traveller.shift(30)
            assert not ContactForm(data).is_valid()

    def test_a_missing_or_tampered_token_is_refused(self):
        with time_machine.travel(1_800_000_000, tick=False) as traveller:
            data = {"message": "Halo", **guard_inputs(self.fresh())}
            traveller.shift(30)
            assert not ContactForm({"message": "Halo"}).is_valid()
            data["form_token"] = data["form_token"][:-2] + "xx"
            assert not ContactForm(data).is_valid()

    def test_a_token_cannot_be_replayed(self):
        with time_machine.travel(1_800_000_000, tick=False) as traveller:
            data = {"message": "Halo", **guard_inputs(self.fresh())}
            traveller.shift(30)
            assert ContactForm(data).is_valid()
            replay = ContactForm(data)
            assert not replay.is_valid()
            assert "sudah pernah dikirim" in replay.non_field_errors()[0]

    def test_a_form_with_field_errors_does_not_spend_its_token(self):
        with time_machine.travel(1_800_000_000, tick=False) as traveller:
            token = guard_inputs(self.fresh())
            traveller.shift(30)
            assert not ContactForm({"message": "", **token}).is_valid()
            assert ContactForm({"message": "Halo", **token}).is_valid()

    def test_the_question_is_asked_only_when_challenged(self):
        assert "Berapa hasil" not in str(self.fresh().render_guard())
        assert "Berapa hasil" in str(self.fresh(challenge=True).render_guard())

    def test_a_challenged_person_answers_and_gets_through(self):
        with time_machine.travel(1_800_000_000, tick=False) as traveller:
            form = self.fresh(challenge=True)
            html = str(form.render_guard())
            token = token_of(html)
            traveller.shift(30)
            data = {"message": "Halo", "form_token": token, "jawaban_hitungan": solve(html)}
            assert ContactForm(data, challenge=True).is_valid()

    def test_a_wrong_answer_or_an_unasked_question_is_refused(self):
        with time_machine.travel(1_800_000_000, tick=False) as traveller:
            html = str(self.fresh(challenge=True).render_guard())
            token = token_of(html)
            unasked = guard_inputs(self.fresh())
            traveller.shift(30)
            wrong = str(int(solve(html)) + 1)
            assert not ContactForm(
                {"message": "Halo", "form_token": token, "jawaban_hitungan": wrong}, challenge=True
            ).is_valid()
            # The address crossed the soft limit after the form was shown.
            late = ContactForm({"message": "Halo", **unasked}, challenge=True)
            assert not late.is_valid()
            assert "pertanyaan hitungan" in late.non_field_errors()[0]

    def test_the_token_does_not_reveal_the_answer(self):
        html = str(self.fresh(challenge=True).render_guard())
        token = token_of(html)
        payload = signing.loads(token, salt="ratelimit.guard:test-contact")
        assert solve(html) not in {str(value) for value in payload.values()}


def test_windows_end_on_time():
    with time_machine.travel(1_800_000_030, tick=False):
        assert ratelimit.seconds_left(window=60) == 31


class SettingsGuardedForm(GuardedFormMixin, forms.Form):
    guard_scope = "test-settings"
    # Functions in the class body, read per request.
    guard_min_seconds = staticmethod(lambda: settings.TEST_GUARD_MIN)
    guard_max_age_seconds = lambda: 3600  # noqa: E731

    message = forms.CharField()


@pytest.mark.django_db
def test_guard_numbers_may_be_functions_read_per_request(settings):
    settings.TEST_GUARD_MIN = 60
    with time_machine.travel(1_800_000_000, tick=False) as traveller:
        data = {"message": "Halo", **guard_inputs(SettingsGuardedForm())}
        traveller.shift(30)
        assert not SettingsGuardedForm(data).is_valid()
        settings.TEST_GUARD_MIN = 10
        assert SettingsGuardedForm(data).is_valid()
