"""The project's URLs plus `/bench/ceiling`: a bare Django view returning a constant, the most any page can do
through the same server, middleware and settings (bench/speed.py)."""

from django.http import HttpResponse
from django.urls import include, path


def ceiling(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/ceiling", ceiling),
    path("", include("civtech.urls")),
]
