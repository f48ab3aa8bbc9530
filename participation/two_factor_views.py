"""Pages for two-factor sign-in: setting up an app, typing a code, recovery codes, an admin's reset.

These pages are open to a signed-in person who has not yet given the second step (that is where
the gate sends them); setting up a new app is not, once the person has one, until they have given
a code from it.
"""

from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from participation import selectors, two_factor
from participation.forms import TwoFactorCodeForm, apply_errors, posted
from participation.tenancy import council_view


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("home")


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _codes_page(request, codes: list[str], *, first_time: bool):
    return render(
        request,
        "participation/two_factor_recovery_codes.html",
        {"codes": codes, "first_time": first_time, "next": _next_url(request)},
    )


@login_required
def overview(request):
    if two_factor.has_app(request.user) and not two_factor.is_verified(request):
        return redirect("two_factor_verify")
    return render(
        request,
        "participation/two_factor.html",
        {
            "has_app": two_factor.has_app(request.user),
            "codes_left": two_factor.recovery_codes_left(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    user = request.user
    # Someone with an app proves it before choosing another: a password alone must not do.
    if two_factor.has_app(user) and not two_factor.is_verified(request):
        return redirect(_with_next("two_factor_verify", reverse("two_factor_setup")))
    help_text = "The 6 numbers your app shows for Heard."
    offer = request.POST.get("offer", "") if request.method == "POST" else ""
    key = two_factor.setup_key_read(user=user, offer=offer) if offer else None
    if key is None:
        offer = two_factor.setup_key_offer(user=user)
        key = two_factor.setup_key_read(user=user, offer=offer)
        form = TwoFactorCodeForm(posted(request), help_text=help_text)
        if request.method == "POST":
            # The page was open too long (or its key was changed): a new key, a new QR code.
            form.is_valid()
            form.add_error(
                "code",
                "This page was open for too long. Add Heard to your app again with the new QR "
                "code or key below, then type the code it shows.",
            )
    else:
        form = TwoFactorCodeForm(posted(request), help_text=help_text)
        if form.is_valid():
            try:
                device, codes = two_factor.authenticator_add(
                    user=user, key_hex=key, code=form.cleaned_data["code"]
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                two_factor.session_verified(request=request, device=device)
                return _codes_page(request, codes, first_time=True)
    uri = two_factor.setup_uri(user=user, key_hex=key)
    return render(
        request,
        "participation/two_factor_setup.html",
        {
            "form": form,
            "offer": offer,
            "qr_svg": segno.make(uri, error="m").svg_inline(
                scale=4, title="QR code to add Heard to an authenticator app"
            ),
            "typed_key": two_factor.key_for_typing(key),
            "next": _next_url(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    user = request.user
    if two_factor.is_verified(request):
        return redirect(_next_url(request))
    if not two_factor.has_app(user):
        return redirect(_with_next("two_factor_setup", _next_url(request)))
    form = TwoFactorCodeForm(
        posted(request),
        help_text="The 6 numbers your authenticator app shows for Heard, or one of your "
        "recovery codes.",
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.code_check(user=user, code=form.cleaned_data["code"])
        except two_factor.Throttled as throttled:
            form.add_error(
                "code",
                f"Too many wrong codes. Wait {throttled.seconds} seconds, then try again.",
            )
            status = 429
        else:
            if device is None:
                form.add_error("code", "That code is not right. Check it and try again.")
            else:
                two_factor.session_verified(request=request, device=device)
                if device.name == two_factor.RECOVERY_DEVICE_NAME:
                    left = two_factor.recovery_codes_left(user)
                    messages.info(
                        request,
                        f"You used a recovery code; {left} left. Each works once: get new ones "
                        "from “Two-factor sign-in” when you run low.",
                    )
                return redirect(_next_url(request))
    return render(
        request,
        "participation/two_factor_verify.html",
        {"form": form, "next": _next_url(request)},
        status=status,
    )


@login_required
@require_POST
def recovery_codes(request):
    if not two_factor.is_verified(request):
        return redirect("two_factor_verify")
    codes = two_factor.recovery_codes_renew(user=request.user)
    return _codes_page(request, codes, first_time=False)


@council_view("people.manage")
@require_http_methods(["GET", "POST"])
def membership_reset(request, membership_id):
    membership = selectors.access_membership(council=request.council, pk=membership_id)
    people_url = reverse("people", args=[request.council.slug])
    error = None
    if request.method == "POST":
        try:
            two_factor.two_factor_reset(
                council=request.council, membership=membership, actor=request.user
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                f"{membership.user}'s two-factor sign-in has been reset. They set up an "
                "authenticator app the next time they sign in.",
            )
            return redirect(people_url)
    return render(
        request,
        "participation/confirm.html",
        {
            "title": f"Reset two-factor sign-in for {membership.user}?",
            "error": error,
            "explanation": "Their authenticator app and recovery codes stop working and they "
            "are signed out everywhere. They set up a new app the next time they sign in. Do "
            "this only when you are sure it is them asking (for example, they lost their phone).",
            "button": "Reset two-factor sign-in",
            "warning": True,
            "cancel_url": people_url,
        },
    )
