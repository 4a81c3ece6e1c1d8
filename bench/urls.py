"""The portal's URLs and, in front of them, the benchmark's bare page (the
baseline every page is compared with; see docs/benchmarks.md)."""

from django.urls import include, path

from .views import bare

urlpatterns = [
    path("_bench/bare/", bare, name="bench_bare"),
    path("", include("humas_portal.urls")),
]
