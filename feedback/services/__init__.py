"""Writes for feedback forms, responses and safeguarding alerts. Views call these; nothing else
writes."""

from feedback.services.alerts import (  # noqa: F401
    alert_acknowledge,
    alert_notify,
    alert_recipients,
    alert_record_action,
    alerts_due_for_reminder,
)
from feedback.services.common import (  # noqa: F401
    CONTACT_MAX,
    FORM_FIELDS,
    NAME_MAX,
    QUESTION_FIELDS,
    SUBMISSION_SALT,
    contact_add,
    contact_remove,
    safeguarding_settings_update,
)
from feedback.services.forms import (  # noqa: F401
    _check_dates,
    _clean_question,
    _editable_version,
    _same_question_in,
    form_create,
    form_create_from_template,
    form_publish,
    form_set_closed,
    form_update,
    latest_version,
    link_replace,
    question_add,
    question_delete,
    question_move,
    question_update,
)
from feedback.services.responses import (  # noqa: F401
    _clean_text,
    _matches_worrying_phrase,
    _notify_later,
    clean_answers,
    field_name,
    new_submission_key,
    read_submission_key,
    response_submit,
)
from feedback.services.you_said import (  # noqa: F401
    _check_owner,
    _set_activities,
    answer_approve_quote,
    answer_set_themes,
    you_said_create,
    you_said_update,
)
