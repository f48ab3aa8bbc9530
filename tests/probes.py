"""How to make one council-owned object for every council URL that takes an object id.

tests/test_cross_council_probe.py walks the URL configuration and fails when a pattern under
/c/<council_slug>/ takes an id but has no entry here, so each new feature must add one: a function
that creates the object in the given council and returns the URL's keyword arguments.
"""

from tests.factories import ForumFactory, InvitationFactory, MembershipFactory
from tests.feedback import factories as fb


def _membership(council):
    return {"membership_id": MembershipFactory(council=council).pk}


def _invitation(council):
    return {"invitation_id": InvitationFactory(council=council).pk}


def _forum(council):
    return {"forum_id": ForumFactory(council=council).pk}


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


def _you_said(council):
    return {"entry_id": fb.make_you_said(council).pk}


PROBES = {
    "membership_edit": _membership,
    "membership_deactivate": _membership,
    "membership_reactivate": _membership,
    "invitation_revoke": _invitation,
    "forum_detail": _forum,
    "forum_edit": _forum,
    "forum_archive": _forum,
    "forum_restore": _forum,
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
    "alert_detail": _alert,
    "safeguarding_contact_remove": _contact,
    "you_said_edit": _you_said,
    "forum_api_detail": _forum,
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
