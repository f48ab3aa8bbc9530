"""Test helpers for two-factor sign-in: give a person an authenticator app, and work out its codes
from the device's key the way the app on their phone would."""

import time
from binascii import unhexlify

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from participation import two_factor
from participation.tenancy import memberships_for


def give_app(user) -> TOTPDevice:
    """The person's confirmed authenticator app (made if they have none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(
        user=user, name=two_factor.APP_DEVICE_NAME, confirmed=True
    )


def code_at(device: TOTPDevice, moment: float) -> str:
    totp = TOTP(unhexlify(device.key), device.step, device.t0, device.digits, device.drift)
    totp.time = moment
    return f"{totp.token():06d}"


def fresh_code(device: TOTPDevice) -> str:
    """A code the device accepts now: the current one, or the next step's (the device tolerates
    one step either way) when the current one was used already; a real app shows the same."""
    device.refresh_from_db()
    now = time.time()
    step = (int(now) - device.t0) // device.step
    if device.last_t >= step:
        now += device.step * (device.last_t + 1 - step)
    return code_at(device, now)


def second_step_needed(user) -> bool:
    return two_factor.required_for(
        user=user, memberships=memberships_for(user=user)
    ) or two_factor.has_app(user)


def verify_session(client, user) -> TOTPDevice:
    """Mark a test client's session as having given the second step with the person's app."""
    device = give_app(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[two_factor.HAS_APP] = True
    session.save()
    return device
