"""The bare page: the cheapest response the production stack can give.

It runs through the same middleware as every public page but touches neither
the database nor the cache nor a template, so its requests per second are
the machine's practical limit; the benchmark reports each page as a ratio to
it.
"""

from django.http import HttpResponse

# No words: the page is read by the load generator, not by people.
BARE_PAGE = b"<!doctype html><html lang=id><meta charset=utf-8><title>.</title><p>ok</p></html>\n"


def bare(request):
    return HttpResponse(BARE_PAGE, content_type="text/html; charset=utf-8")
