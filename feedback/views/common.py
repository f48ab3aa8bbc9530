from django.conf import settings
from django.shortcuts import render
from django.urls import reverse


def _form_url(request, form) -> str:
    return reverse("feedback_form_detail", args=[request.council.slug, form.pk])


def _public_url(request, link) -> str:
    """The address printed in QR codes and posters. From SITE_URL, never the request's Host
    header: a QR code printed for a school must not point wherever a forged request said."""
    return settings.SITE_URL + reverse("public_form", args=[link.token]) if link else ""


def _confirm(request, *, title, explanation, button, cancel_url, warning=False, hidden=()):
    return render(
        request,
        "participation/confirm.html",
        {
            "title": title,
            "explanation": explanation,
            "button": button,
            "warning": warning,
            "cancel_url": cancel_url,
            "hidden": hidden,
        },
    )
