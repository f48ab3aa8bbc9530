"""A council with one or more of every kind of record, for the marker scan and the id-mixing probes.

`build(council)` runs every builder in tests/probes.py (so each object a council URL names exists)
and the extra builders below (for the tables no URL names directly). `test_marker_scan.py` fails
when a table with a `council` has no row after `build`, so a new model must get a builder here.

`seed_markers(council)` then writes a unique marker into every free-text field of every one of the
council's rows (and into its people's names and emails, and the council's own name), so a page of
another council that shows any of it can be caught by searching for MARKER.
"""

import datetime
import itertools

from django.apps import apps
from django.db import models

from tests.factories import MembershipFactory
from tests.probes import PROBES

# Short, so it fits every field (the shortest free-text field holds 20 characters), and
# letters-and-digits only, so HTML escaping, CSV quoting and PDF text extraction leave it alone.
MARKER = "zzbmk"


def council_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if any(field.name == "council" for field in model._meta.concrete_fields)
    ]


def _extras(council) -> dict:
    """Rows of the tables that no URL names by id, so the probes' builders do not make them."""
    from feedback.models import Answer, SafeguardingSettings, Theme, YouSaidActivity
    from forums.models import AskAnswer, Attendance, CalendarLink, TermsOfReference
    from participation.activities.models import ActivityServiceArea, CohortSize
    from participation.models import ColumnChoice, Membership, PendingImport
    from participation.strategy.models import (
        ActionPriority,
        IndicatorValue,
        Status,
        StatusReminder,
        StatusUpdate,
    )
    from tests.feedback import factories as fb
    from tests.forums.factories import ForumMemberFactory, add_visitor, make_ask, make_meeting
    from tests.participation.activities.factories import ActivityFactory, ServiceAreaFactory
    from tests.participation.strategy.factories import (
        ActionFactory,
        IndicatorFactory,
        ObjectiveFactory,
    )

    officer = MembershipFactory(council=council, role=Membership.Role.PARTICIPATION_OFFICER)
    action = ActionFactory(council=council, owner=officer)
    StatusUpdate.objects.create(
        council=council,
        action=action,
        status=Status.ON_TRACK,
        commentary="On track",
        author=officer.user,
    )
    ActionPriority.objects.create(
        council=council, action=action, objective=ObjectiveFactory(council=council)
    )
    StatusReminder.objects.create(
        council=council, membership=officer, quarter_end=datetime.date(2026, 6, 30)
    )
    IndicatorValue.objects.create(
        council=council,
        indicator=IndicatorFactory(council=council),
        quarter_end=datetime.date(2026, 6, 30),
        value=12,
        recorded_by=officer.user,
    )
    ColumnChoice.objects.create(
        council=council, kind="activities", heading="what happened", field="title"
    )
    PendingImport.objects.create(
        council=council, kind="activities", uploaded_by=officer.user, filename="q1.xlsx", data=b""
    )
    activity = ActivityFactory(council=council)
    ActivityServiceArea.objects.create(
        council=council, activity=activity, service_area=ServiceAreaFactory(council=council)
    )
    CohortSize.objects.create(
        council=council, quarter_start=datetime.date(2026, 4, 1), cohort="cla", size=40
    )
    # A forum with a member who came to a meeting, was asked something and answered; its terms of
    # reference and a calendar link.
    member = ForumMemberFactory(council=council, joined_on=datetime.date(2025, 1, 1))
    meeting = make_meeting(member.forum, actor=officer.user)
    Attendance.objects.create(
        council=council, meeting=meeting, young_person=member.young_person, status="present"
    )
    # and a young person who came to it without being a member (a visitor).
    add_visitor(meeting)
    ask = make_ask(member.forum, actor=officer.user, addressed_to=officer.user)
    AskAnswer.objects.create(
        council=council, ask=ask, status="answered", response="Yes", answered_by=officer.user
    )
    TermsOfReference.objects.create(
        council=council,
        forum=member.forum,
        version=1,
        text="We meet monthly.",
        agreed_on=datetime.date(2026, 1, 1),
        review_on=datetime.date(2027, 1, 1),
        created_by=officer.user,
    )
    link = CalendarLink.objects.create(council=council, forum=member.forum, user=officer.user)
    # Feedback: a tagged answer, a "you said, we did" linked to an activity, an alert and a
    # named response with contact details.
    form, answer = fb.make_answer(council)
    theme = Theme.objects.create(council=council, name="school")
    Answer.themes.through.objects.create(answer=answer, theme=theme)
    entry = fb.make_you_said(council, theme=theme)
    YouSaidActivity.objects.create(council=council, entry=entry, activity=activity)
    fb.make_alert(council)
    SafeguardingSettings.objects.create(council=council)
    # The API's remembered answers, and the data protection settings and a past erasure.
    from api.models import IdempotencyRecord
    from lifecycle.models import Erasure, PrivacyNotice, RetentionPeriod
    from tests.participation.activities.factories import YoungPersonFactory

    IdempotencyRecord.objects.create(
        council=council,
        user=officer.user,
        key="retry-1",
        path=f"/api/v1/c/{council.slug}/activities/",
        body_hash="0" * 64,
        response_status=201,
        response_body={"title": "Youth voice session"},
    )
    RetentionPeriod.objects.create(council=council, record_type="audit", period=36)
    PrivacyNotice.objects.create(
        council=council, for_children="We keep what you tell us safe.", for_adults="Full notice."
    )
    Erasure.objects.create(
        council=council, young_person=YoungPersonFactory(council=council), reason="request"
    )
    return {
        "form": form,
        "forum": member.forum,
        "meeting": meeting,
        "activity": activity,
        "calendar_token": link.token,
        "form_token": form.links.first().token,
    }


def build(council) -> dict:
    """Every kind of record in `council`. Returns each probe builder's URL keyword arguments by
    builder, and the extra objects by name."""
    kwargs_by_builder = {}
    for builder in dict.fromkeys(PROBES.values()):
        kwargs_by_builder[builder] = builder(council)
    return {"kwargs": kwargs_by_builder, "extras": _extras(council)}


def missing_tables(council) -> list[str]:
    return sorted(
        model._meta.label
        for model in council_models()
        if not model._base_manager.filter(council=council).exists()
    )


def _free_text_fields(model) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and not field.primary_key
        and (field.max_length is None or field.max_length >= 20)
    ]


def seed_markers(council, *, prefix: str = MARKER) -> dict[str, str]:
    """Overwrite every free-text field of the council's rows with a unique marker.

    Returns {marker: "app.Model.field #pk"} so a leak names the record it came from. Written with
    queryset updates, so model rules (like a URL's shape) are not in the way; an email or a URL
    keeps its shape anyway so pages that format them still show them.
    """
    from participation.models import Membership, User

    counter = itertools.count(1)
    where = {}

    def marker_for(label: str, field: models.Field) -> str:
        text = f"{prefix}{next(counter)}"
        where[text] = label
        if isinstance(field, models.EmailField):
            return f"{text}@example.org"
        if isinstance(field, models.URLField):
            return f"https://{text}.example.org/"
        return text

    for model in council_models():
        fields = _free_text_fields(model)
        if not fields:
            continue
        if getattr(model, "append_only", False):
            # The audit trail refuses updates: a new entry like the first one, with markers.
            row = model._base_manager.filter(council=council).order_by("pk").values().first()
            if row is not None:
                row.pop("id")
                row.update(
                    {
                        f.attname: marker_for(f"{model._meta.label}.{f.name} (new)", f)
                        for f in fields
                    }
                )
                model._base_manager.create(**row)
            continue
        for pk in model._base_manager.filter(council=council).values_list("pk", flat=True):
            values = {
                field.attname: marker_for(f"{model._meta.label}.{field.name} #{pk}", field)
                for field in fields
            }
            model._base_manager.filter(pk=pk).update(**values)
    # The council's people, when they belong to no other council.
    others = Membership.objects.exclude(council=council).values("user_id")
    for user in User.objects.filter(memberships__council=council).exclude(pk__in=others):
        User.objects.filter(pk=user.pk).update(
            full_name=marker_for(f"User.full_name #{user.pk}", User._meta.get_field("full_name")),
            email=marker_for(f"User.email #{user.pk}", User._meta.get_field("email")),
        )
    council_model = type(council)
    council_model.objects.filter(pk=council.pk).update(
        name=marker_for("Council.name", council_model._meta.get_field("name"))
    )
    return where
