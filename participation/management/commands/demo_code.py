"""Print the demo authenticator's current code, for trying the demo without an app on a phone."""

import time

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from participation.management.commands.demo_data import DEMO_TOTP_KEY, demo_key_hex


class Command(BaseCommand):
    help = f"Print the current 6-digit code for the demo key {DEMO_TOTP_KEY} (demo logins only)."

    def handle(self, *args, **options):
        totp = TOTP(bytes.fromhex(demo_key_hex()))
        totp.time = time.time()
        left = 30 - int(totp.time) % 30
        self.stdout.write(f"{totp.token():06d} (for {left} more seconds)")
