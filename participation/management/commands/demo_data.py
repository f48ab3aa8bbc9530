"""Create two invented demo councils with one login per role, and content from the seed documents.

Safe to run again: it updates what it made instead of duplicating it. Never run on production data:
it refuses unless DEBUG is on or --force is given.
"""

import logging
from base64 import b32decode
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from feedback import demo as feedback_demo
from forums import demo as forums_demo
from forums.models import Forum
from participation import rls, services, two_factor
from participation.activities import demo as activities_demo
from participation.models import Council, Membership, User
from participation.strategy import demo as strategy_demo
from participation.tenancy import memberships_for
from reporting import demo as reporting_demo


@contextmanager
def _quiet(name: str):
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


DEMO_PASSWORD = "heard-demo-2026"
# Demo managers and admins sign in with a second step, as real ones must. Everyone trying the demo
# can add this published key to an authenticator app, run `manage.py demo_code`, or type one of
# the recovery codes below (each works once per login; running demo_data again renews them).
DEMO_TOTP_KEY = "HEARDDEMOTOTPKEYFORTHEDEMOONLY22"
DEMO_RECOVERY_CODES = [f"demo{n:04d}" for n in range(1, 11)]

COUNCILS = [
    {"slug": "northbrook", "name": "Northbrook Borough Council", "brand_colour": "#1d4f91"},
    {"slug": "westmoor", "name": "Westmoor County Council", "brand_colour": "#6b2c6f"},
]

# Invented people: none of the officers named in the seed documents appear here.
PEOPLE = {
    "northbrook": [
        ("Priya Desai", Membership.Role.PRACTITIONER),
        ("Tom Okafor", Membership.Role.PARTICIPATION_OFFICER),
        ("Helen Marsh", Membership.Role.MANAGER),
        ("Gareth Lloyd", Membership.Role.COUNCIL_ADMIN),
    ],
    "westmoor": [
        ("Chloe Brennan", Membership.Role.PRACTITIONER),
        ("Samir Haddad", Membership.Role.PARTICIPATION_OFFICER),
        ("Ruth Ellison", Membership.Role.MANAGER),
        ("Daniel Price", Membership.Role.COUNCIL_ADMIN),
    ],
}
ROLE_LOGIN = {
    Membership.Role.PRACTITIONER: "practitioner",
    Membership.Role.PARTICIPATION_OFFICER: "officer",
    Membership.Role.MANAGER: "manager",
    Membership.Role.COUNCIL_ADMIN: "admin",
}

# The forums the seed documents name (Dudley 2021 section 3.2, Durham, Thurrock), described in
# the documents' own terms.
FORUMS = [
    (
        "Children in Care Council",
        Forum.Audience.CHILDREN_IN_CARE,
        Forum.Frequency.MONTHLY,
        "Children in our care speak to corporate parents about the services they receive and send "
        "representatives to the Corporate Parenting Board.",
    ),
    (
        "Care Leavers Forum",
        Forum.Audience.CARE_LEAVERS,
        Forum.Frequency.MONTHLY,
        "Care leavers aged 16 to 25 shape the local offer and the care leavers' charter.",
    ),
    (
        "Youth Council",
        Forum.Audience.YOUNG_PEOPLE,
        Forum.Frequency.MONTHLY,
        "Young people campaign on behalf of their peers and are consulted on services across the "
        "council, and are represented at the Children's Scrutiny Committee.",
    ),
    (
        "Young Health Champions",
        Forum.Audience.YOUNG_PEOPLE,
        Forum.Frequency.QUARTERLY,
        "Young people promote health and wellbeing to their peers.",
    ),
    (
        "Parent Carer Forum",
        Forum.Audience.PARENTS_CARERS,
        Forum.Frequency.QUARTERLY,
        "Parents and carers, including parents of children with SEND, co-produce services with "
        "Children's Services.",
    ),
    (
        "SEND Youth Forum",
        Forum.Audience.SEND,
        Forum.Frequency.MONTHLY,
        "Children and young people with SEND make sure their voice is heard in mainstream forums.",
    ),
    (
        "UASC Group",
        Forum.Audience.UASC,
        Forum.Frequency.MONTHLY,
        "Unaccompanied asylum-seeking children, a group that is hard to reach, "
        "tell us what they need.",
    ),
    (
        "Young Inspectors",
        Forum.Audience.YOUNG_PEOPLE,
        Forum.Frequency.AS_NEEDED,
        "Trained young people review and evaluate services and report what they find.",
    ),
]


def demo_key_hex() -> str:
    return b32decode(DEMO_TOTP_KEY).hex()


def demo_email(slug: str, role: str) -> str:
    return f"{ROLE_LOGIN[role]}@{slug}.example"


class Command(BaseCommand):
    help = "Create or refresh the demo councils, people and content."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, force=False, **options):
        if not (settings.DEBUG or force):
            raise CommandError("demo_data creates known passwords: run with DEBUG=true or --force.")
        # The demo's safeguarding alerts email invented .example officers: keep those emails, and
        # in-process Celery's line per task, out of the terminal of someone trying Heard out.
        locmem = "django.core.mail.backends.locmem.EmailBackend"
        with (
            override_settings(EMAIL_BACKEND=locmem),
            _quiet("celery.app.trace"),
            transaction.atomic(),
            # Platform work across councils: the one audited path past row-level security.
            rls.all_councils("loading the demo councils"),
        ):
            logins = self._create()
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for council, role, email, second_step in logins:
            mark = " *" if second_step else ""
            self.stdout.write(f"  {council:<28} {role:<22} {email}{mark}")
        self.stdout.write(
            "* Then a code: add the key "
            f"{two_factor.key_for_typing(demo_key_hex())} to an authenticator app (or run "
            "`manage.py demo_code`),\n  or type a recovery code: "
            f"{', '.join(DEMO_RECOVERY_CODES)} (each once per login)."
        )

    def _create(self):
        logins = []
        councils = {}
        for spec in COUNCILS:
            council = Council.objects.filter(slug=spec["slug"]).first()
            if council is None:
                council = services.council_create(
                    actor=None,
                    name=spec["name"],
                    slug=spec["slug"],
                    brand_colour=spec["brand_colour"],
                )
            else:
                council.name = spec["name"]
                council.brand_colour = spec["brand_colour"]
                council.is_active = True
                council.save()
            councils[spec["slug"]] = council
            members = {}
            for full_name, role in PEOPLE[spec["slug"]]:
                email = demo_email(spec["slug"], role)
                user = self._user(email, full_name)
                Membership.objects.update_or_create(
                    council=council, user=user, defaults={"role": role, "is_active": True}
                )
                logins.append((council.name, Membership.Role(role).label, email, False))
                members[ROLE_LOGIN[role]] = user
            for index, (name, audience, meets, purpose) in enumerate(FORUMS):
                # Each council runs most, not all, of the forums, so lists differ between them.
                if spec["slug"] == "westmoor" and index % 4 == 3:
                    continue
                Forum.objects.update_or_create(
                    council=council,
                    name=name,
                    defaults={"audience": audience, "meets": meets, "purpose": purpose},
                )
            strategy_demo.load(council)
            activities_demo.load(council, members)
            forums_demo.load(council, members)
            feedback_demo.load(
                council, {role: members[login] for role, login in ROLE_LOGIN.items()}
            )
            reporting_demo.load(council, members["officer"])
        # One person in both councils, to show the council switcher.
        both = self._user("both@heard.example", "Jordan Reeve")
        for slug, role in (
            ("northbrook", Membership.Role.PARTICIPATION_OFFICER),
            ("westmoor", Membership.Role.MANAGER),
        ):
            Membership.objects.update_or_create(
                council=councils[slug], user=both, defaults={"role": role, "is_active": True}
            )
        logins.append(("Both councils", "Officer / manager", both.email, False))
        # Who must give the second step, given every membership made above.
        users = {u.email: u for u in User.objects.filter(email__in=[row[2] for row in logins])}
        marked = []
        for council_name, role, email, _ in logins:
            user = users[email]
            needed = two_factor.required_for(user=user, memberships=memberships_for(user=user))
            if needed:
                self._second_step(user)
            marked.append((council_name, role, email, needed))
        return marked

    def _second_step(self, user):
        """The demo's known authenticator key and recovery codes for this login."""
        TOTPDevice.objects.filter(user=user).delete()
        TOTPDevice.objects.create(
            user=user, name=two_factor.APP_DEVICE_NAME, key=demo_key_hex(), confirmed=True
        )
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(
            user=user, name=two_factor.RECOVERY_DEVICE_NAME, confirmed=True
        )
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=code) for code in DEMO_RECOVERY_CODES
        )

    def _user(self, email, full_name):
        user, _ = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
        user.full_name = full_name
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        return user
