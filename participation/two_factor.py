"""Two-factor sign-in: who must use it, whether this session has, and the devices behind it.

Managers and council admins (capabilities.TWO_FACTOR_ROLES), platform staff, everyone in a council
that asks it of every role, and anyone who has set up an authenticator app, give a six-digit code
from the app (TOTP, django-otp) or one of ten single-use recovery codes after their password.

A session is verified when django-otp's session key names one of the person's devices. The check
reads only the session, so it costs no query on every page; in return, anything that removes a
person's devices (the council admin's reset) also ends all their sessions.
"""

import time
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import urlencode

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from participation import sessions
from participation.capabilities import TWO_FACTOR_ROLES
from participation.models import Council, Membership, User

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
# Whether the person has an authenticator app, remembered for the session so pages of people who
# need no second step do not ask the database each time.
HAS_APP = "heard_two_factor_app"
# A key offered on the set-up page is accepted back for this long (signed, so not stored).
SETUP_KEY_MAX_AGE = 30 * 60
_SETUP_SALT = "heard.two_factor.setup"


# -- Who must, and whether this session has ------------------------------------------------------


def required_for(*, user: User, memberships: list[Membership]) -> bool:
    """Platform staff always; others when a role in any active membership, or that council's
    setting, asks for it."""
    if user.is_staff or user.is_superuser:
        return True
    return any(m.role in TWO_FACTOR_ROLES or m.council.two_factor_for_everyone for m in memberships)


def has_app(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(request) -> bool:
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


def _has_app_this_session(request) -> bool:
    known = request.session.get(HAS_APP)
    if known is None:
        known = has_app(request.user)
        request.session[HAS_APP] = known
    return known


def second_step_needed(request, *, memberships: list[Membership]) -> bool:
    """Whether this signed-in session must give a code before any council page. Costs no query
    for a verified session, nor (after its first page) for anyone who needs no second step."""
    if is_verified(request):
        return False
    return required_for(user=request.user, memberships=memberships) or _has_app_this_session(
        request
    )


def gate(request, *, memberships: list[Membership]):
    """None when the person may carry on; otherwise the response that sends them to set up an
    authenticator app or to type a code."""
    if not second_step_needed(request, memberships=memberships):
        return None
    name = "two_factor_verify" if _has_app_this_session(request) else "two_factor_setup"
    url = reverse(name)
    if request.htmx:
        return HttpResponseClientRedirect(url)
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    return redirect(url)


# -- Setting up an authenticator app -------------------------------------------------------------


def setup_key_offer(*, user: User) -> str:
    """A new secret for the set-up page, signed for this person so it need not be stored until
    they have typed a code that proves their app holds it (no write on showing the page)."""
    return signing.dumps({"user": user.pk, "key": default_key()}, salt=_SETUP_SALT)


def setup_key_read(*, user: User, offer: str) -> str | None:
    try:
        data = signing.loads(offer, salt=_SETUP_SALT, max_age=SETUP_KEY_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("user") != user.pk:
        return None
    return data.get("key")


def key_for_typing(key_hex: str) -> str:
    """The secret as an app asks for it when typed in: base32, in groups of four."""
    text = b32encode(unhexlify(key_hex)).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def setup_uri(*, user: User, key_hex: str) -> str:
    return TOTPDevice(user=user, key=key_hex).config_url


def _totp_time_step(key_hex: str, code: str, *, tolerance: int = 1) -> int | None:
    totp = TOTP(unhexlify(key_hex))
    totp.time = time.time()
    if not (code.isdigit() and len(code) == 6):
        return None
    if totp.verify(int(code), tolerance=tolerance):
        return totp.t()
    return None


@transaction.atomic
def authenticator_add(*, user: User, key_hex: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Keep the app whose code matched (replacing any earlier one) and give new recovery codes."""
    time_step = _totp_time_step(key_hex, normalise_code(code))
    if time_step is None:
        raise ValidationError(
            {"code": "That code does not match. Type the 6 numbers your app shows now."}
        )
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name=APP_DEVICE_NAME, key=key_hex, confirmed=True, last_t=time_step
    )
    _security_event("two_factor_added", user=user)
    return device, recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """Ten new single-use codes; the old ones stop working. Shown once, by the caller."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    _security_event("recovery_codes_created", user=user)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# -- Typing a code at sign-in --------------------------------------------------------------------


class Throttled(Exception):
    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds


def _security_event(kind: str, *, user: User, actor: User | None = None) -> None:
    """Two-factor changes and refused codes go to the audit trail's security events."""
    # Here, not at the top: the audit package imports models that import this module's callers.
    from participation.audit import record_security_event

    record_security_event(kind, user=user, actor=actor)


def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def code_check(*, user: User, code: str):
    """The device that accepts `code` (an app's 6 numbers, or a recovery code, which is then used
    up), or None. Raises Throttled while wrong codes have paused this person's tries."""
    code = normalise_code(code)
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    with transaction.atomic():
        # Locked, so two tries at once cannot both slip past the throttle or use one code twice.
        devices = list(model.objects.select_for_update().filter(user=user, confirmed=True))
        for device in devices:
            allowed, info = device.verify_is_allowed()
            if not allowed:
                until = (info or {}).get("locked_until")
                seconds = max(1, int((until - timezone.now()).total_seconds())) if until else 1
                raise Throttled(seconds)
            if device.verify_token(code):
                if model is StaticDevice:
                    _security_event("recovery_code_used", user=user)
                return device
    _security_event("two_factor_failed", user=user)
    return None


def session_verified(*, request, device) -> None:
    """After a right code: a new session key (so a key seen before the second step is worthless),
    then the session is marked verified."""
    old_key = request.session.session_key
    request.session.cycle_key()
    sessions.session_rekeyed(
        user=request.user, old_key=old_key, new_key=request.session.session_key
    )
    otp_login(request, device)
    request.session[HAS_APP] = True


# -- The council admin's reset --------------------------------------------------------------------


@transaction.atomic
def two_factor_reset(*, council: Council, membership: Membership, actor: User) -> None:
    """Remove a member's app and recovery codes, and sign them out everywhere, so they set up
    again at their next sign-in."""
    # Here, not at the top: services imports selectors, which import tenancy, which imports this.
    from participation.services import audit

    if membership.council_id != council.pk:
        raise ValidationError("This person is not in this council.")
    user = membership.user
    if user.pk == actor.pk:
        raise ValidationError(
            "You cannot reset your own two-factor sign-in here. Set up a new app from "
            "“Two-factor sign-in” on your account, or ask another admin."
        )
    if user.is_staff or user.is_superuser:
        raise ValidationError("Platform staff's two-factor sign-in is reset by the platform team.")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    sessions.end_sessions(user=user)
    audit(council=council, actor=actor, verb="reset two-factor sign-in", subject=membership)
    _security_event("two_factor_reset", user=user, actor=actor)
