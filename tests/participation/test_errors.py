from django.test import Client
from django.urls import path

from participation.urls import urlpatterns as real_patterns


def boom(request):
    raise RuntimeError("secret child name Alice")


urlpatterns = [*real_patterns, path("boom/", boom)]


def test_500_page_is_styled_and_leaks_nothing(settings, db):
    settings.ROOT_URLCONF = "tests.participation.test_errors"
    response = Client(raise_request_exception=False).get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "Alice" not in html and "RuntimeError" not in html


def test_404_page_is_styled(db):
    response = Client().get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
