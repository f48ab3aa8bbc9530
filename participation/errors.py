"""Error pages in the app's own style. They never echo the request or any record's data."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import get_template


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def server_error(request):
    # Rendered without context processors: the failure may be in the database they read.
    return HttpResponseServerError(get_template("500.html").render({}))
