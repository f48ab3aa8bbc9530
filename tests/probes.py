"""How to make one council-owned object for every council URL that takes an object id.

tests/test_cross_council_probe.py walks the URL configuration and fails when a pattern under
/c/<council_slug>/ takes an id but has no entry here, so each new feature must add one: a function
that creates the object in the given council and returns the URL's keyword arguments.
"""

from participation.strategy.models import EvidenceLink
from tests.factories import ForumFactory, InvitationFactory, MembershipFactory
from tests.feedback import factories as fb
from tests.participation.activities.factories import (
    ActivityFactory,
    ActivityKindFactory,
    ParticipationFactory,
    ServiceAreaFactory,
    YoungPersonFactory,
)
from tests.participation.strategy.factories import (
    ActionFactory,
    IndicatorFactory,
    ObjectiveFactory,
    StrategyFactory,
)


def _membership(council):
    return {"membership_id": MembershipFactory(council=council).pk}


def _invitation(council):
    return {"invitation_id": InvitationFactory(council=council).pk}


def _api_token(council):
    from api.services import token_create

    token, _ = token_create(
        membership=MembershipFactory(council=council), name="Probe", can_write=False
    )
    return {"token_id": token.pk}


def _forum(council):
    return {"forum_id": ForumFactory(council=council).pk}


def _forum_member(council):
    from tests.forums.factories import ForumMemberFactory

    member = ForumMemberFactory(council=council)
    return {"forum_id": member.forum_id, "member_id": member.pk}


def _meeting(council):
    from tests.forums.factories import make_meeting

    meeting = make_meeting(ForumFactory(council=council))
    return {"forum_id": meeting.forum_id, "meeting_id": meeting.pk}


def _meeting_guest(council):
    from forums.models import MeetingGuest

    kwargs = _meeting(council)
    guest = MeetingGuest.objects.create(
        council=council, meeting_id=kwargs["meeting_id"], role="Director of Children's Services"
    )
    return {**kwargs, "guest_id": guest.pk}


def _ask(council):
    from tests.forums.factories import make_ask

    ask = make_ask(ForumFactory(council=council))
    return {"forum_id": ask.forum_id, "ask_id": ask.pk}


def _consultation(council):
    from tests.forums.factories import make_consultation

    forum = ForumFactory(council=council)
    request = make_consultation(forum, requested_by=MembershipFactory(council=council).user)
    return {"forum_id": forum.pk, "consultation_id": request.pk}


def _forum_adult(council):
    from forums.models import ForumAdult

    forum = ForumFactory(council=council)
    adult = ForumAdult.objects.create(
        council=council, forum=forum, name="Advocate", joined_on="2026-01-05"
    )
    return {"forum_id": forum.pk, "adult_id": adult.pk}


def _work_item(council):
    from forums.models import WorkItem

    forum = ForumFactory(council=council)
    item = WorkItem.objects.create(council=council, forum=forum, title="Care leaver offer")
    return {"forum_id": forum.pk, "item_id": item.pk}


def _strategy(council):
    return {"strategy_id": StrategyFactory(council=council).pk}


def _objective(council):
    return {"objective_id": ObjectiveFactory(council=council).pk}


def _action(council):
    return {"action_id": ActionFactory(council=council).pk}


def _indicator(council):
    return {"indicator_id": IndicatorFactory(council=council).pk}


def _activity(council):
    return {"activity_id": ActivityFactory(council=council).pk}


def _participation(council):
    participation = ParticipationFactory(activity=ActivityFactory(council=council))
    return {"activity_id": participation.activity_id, "participation_id": participation.pk}


def _young_person(council):
    return {"young_person_id": YoungPersonFactory(council=council).pk}


def _kind(council):
    return {"kind_id": ActivityKindFactory(council=council).pk}


def _service_area(council):
    return {"area_id": ServiceAreaFactory(council=council).pk}


def _feedback_form(council):
    return {"form_id": fb.make_form(council).pk}


def _feedback_question(council):
    form, question = fb.make_question(council)
    return {"form_id": form.pk, "question_id": question.pk}


def _feedback_answer(council):
    form, answer = fb.make_answer(council)
    return {"form_id": form.pk, "answer_id": answer.pk}


def _alert(council):
    return {"alert_id": fb.make_alert(council).pk}


def _contact(council):
    return {"contact_id": fb.make_contact(council).pk}


def _evidence(council):
    action = ActionFactory(council=council)
    link = EvidenceLink.objects.create(
        council=council, action=action, description="Report", url="https://example.org/r"
    )
    return {"action_id": action.pk, "evidence_id": link.pk}


def _you_said(council):
    return {"entry_id": fb.make_you_said(council).pk}


def _report_run(council):
    from tests.reporting.factories import make_final_run

    return {"run_id": make_final_run(council).pk}


def _subject_access_export(council):
    from lifecycle.models import SubjectAccessExport

    person = YoungPersonFactory(council=council)
    export = SubjectAccessExport.objects.create(
        council=council,
        young_person=person,
        requested_by=MembershipFactory(council=council, role="council_admin").user,
    )
    return {"export_id": export.pk}


PROBES = {
    "api_token_revoke": _api_token,
    "membership_edit": _membership,
    "membership_deactivate": _membership,
    "membership_reactivate": _membership,
    "membership_two_factor_reset": _membership,
    "invitation_revoke": _invitation,
    "forum_detail": _forum,
    "forum_edit": _forum,
    "forum_archive": _forum,
    "forum_restore": _forum,
    "forum_member_add": _forum,
    "forum_member_role": _forum_member,
    "forum_member_leave": _forum_member,
    "meeting_create": _forum,
    **{
        name: _meeting
        for name in (
            "meeting_detail",
            "meeting_edit",
            "meeting_delete",
            "meeting_attendance",
            "attendance_visitor_add",
            "attendance_visitor_remove",
            "attendance_visitor_join",
            "meeting_guest_add",
        )
    },
    "meeting_guest_remove": _meeting_guest,
    "ask_create": _forum,
    "ask_detail": _ask,
    "ask_answer": _ask,
    "ask_you_said": _ask,
    "consultation_request_create": _forum,
    "forum_adult_add": _forum,
    "work_item_create": _forum,
    "terms_of_reference": _forum,
    "forum_calendar_link": _forum,
    "forum_summary": _forum,
    "work_item_edit": _work_item,
    "forum_adult_leave": _forum_adult,
    "consultation_detail": _consultation,
    "consultation_decide": _consultation,
    "consultation_outcome": _consultation,
    "strategy_detail": _strategy,
    "strategy_edit": _strategy,
    "strategy_archive": _strategy,
    "strategy_restore": _strategy,
    "objective_create": _strategy,
    "indicator_create": _strategy,
    "objective_detail": _objective,
    "objective_edit": _objective,
    "action_create": _objective,
    "action_detail": _action,
    "action_edit": _action,
    "action_status": _action,
    "evidence_add": _action,
    "evidence_remove": _evidence,
    "action_archive": _action,
    "action_restore": _action,
    "indicator_record": _indicator,
    "activity_detail": _activity,
    "activity_edit": _activity,
    "activity_duplicate": _activity,
    "activity_delete": _activity,
    "participation_edit": _participation,
    "young_person_detail": _young_person,
    "young_person_edit": _young_person,
    "young_person_delete": _young_person,
    "young_person_erase": _young_person,
    "subject_access_request": _young_person,
    "subject_access_detail": _subject_access_export,
    "kind_retire": _kind,
    "kind_restore": _kind,
    "service_area_retire": _service_area,
    "service_area_restore": _service_area,
    **{
        name: _feedback_form
        for name in (
            "feedback_form_detail",
            "feedback_form_edit",
            "feedback_form_publish",
            "feedback_form_close",
            "feedback_form_reopen",
            "feedback_link_replace",
            "feedback_qr_svg",
            "feedback_qr_png",
            "feedback_question_add",
            "feedback_form_assist",
            "feedback_results",
            "feedback_results_csv",
            "feedback_results_xlsx",
            "feedback_text_answers",
        )
    },
    "feedback_question_edit": _feedback_question,
    "feedback_question_move": _feedback_question,
    "feedback_question_delete": _feedback_question,
    "feedback_answer_themes": _feedback_answer,
    "feedback_answer_quote": _feedback_answer,
    "alert_detail": _alert,
    "safeguarding_contact_remove": _contact,
    "you_said_edit": _you_said,
    "you_said_detail": _you_said,
    "you_said_attach": _you_said,
    **{
        name: _report_run
        for name in (
            "report_detail",
            "report_edit",
            "report_preview",
            "report_finalise",
            "report_new_version",
            "report_download",
        )
    },
}

# Whatever a hostile form post might carry: enough to change something if a view let it through.
HOSTILE_POST = {
    "name": "Changed by another council",
    "role": "council_admin",
    "audience": "care_leavers",
    "meets": "weekly",
    "status": "red",
    "title": "Changed by another council",
}
