"""Choosing the interface language; removing control characters from input."""

from django.conf import settings
from django.http import QueryDict
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .text import has_controls, strip_controls


class LanguageMiddleware:
    """Indonesian unless the visitor chose another language.

    Django's ``LocaleMiddleware`` follows the browser's Accept-Language, and
    many phones in Indonesia run with an English system language; the portal
    is Indonesian first, so only an explicit choice (the language cookie set
    by the footer links) switches it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = dict(settings.LANGUAGES)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class ControlCharacterMiddleware:
    """Remove C0 control characters (NUL first) from every query parameter
    and form field before a view sees them (see ``core.text``): a NUL typed or
    pasted into the search box or sent by a scanner must not reach the
    database, which refuses it. Uploaded files are left as they are.

    After ``CsrfViewMiddleware``, which reads the form first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("QUERY_STRING") and _dirty(request.GET):
            request.GET = _cleaned(request.GET)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method == "POST" and _dirty(request.POST):
            request.POST = _cleaned(request.POST)
        return None


def _dirty(data) -> bool:
    return any(
        has_controls(key) or any(has_controls(value) for value in values) for key, values in data.lists()
    )


def _cleaned(data):
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(strip_controls(key), [strip_controls(value) for value in values])
    cleaned._mutable = False
    return cleaned
