"""The app's URLs plus one trivial signed-in council view, the floor every bench page is measured
against. Only the bench scripts use this URLconf (ROOT_URLCONF=bench.floor_urls); the app never
serves it.

The floor goes through the same middleware and the same `council_view` door as every council page
(session, authentication, membership lookup), then answers a few bytes, so a page's ratio to it is
the cost of the page's own work.
"""

from django.http import HttpResponse
from django.urls import path

from participation.tenancy import council_view
from participation.urls import urlpatterns as app_urlpatterns


@council_view("council.view")
def floor(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench-floor/<slug:council_slug>/", floor, name="bench_floor")]
urlpatterns += app_urlpatterns

handler404 = "participation.errors.not_found"
handler403 = "participation.errors.forbidden"
handler500 = "participation.errors.server_error"
