"""forums.services, in one module per section."""

from forums.services.adults import (  # noqa: F401
    forum_adult_add,
    forum_adult_leave,
)
from forums.services.asks import (  # noqa: F401
    ANSWER_STATUSES,
    YOU_SAID_STATUS,
    _queue,
    _sync_you_said,
    answerer_ids,
    ask_answer,
    ask_create,
    ask_errors,
    ask_reminder_send,
    ask_to_you_said,
)
from forums.services.calendar import (  # noqa: F401
    calendar_link_create,
    calendar_link_revoke,
)
from forums.services.common import (  # noqa: F401
    EDITABLE,
    _check_ages,
    _check_name_free,
    forum_create,
    forum_set_archived,
    forum_update,
)
from forums.services.consultations import (  # noqa: F401
    DECISIONS,
    consultation_decide,
    consultation_record_outcome,
    consultation_request_create,
)
from forums.services.meetings import (  # noqa: F401
    MEETING_FIELDS,
    MEETING_YEARS_AHEAD,
    _check_meeting_fields,
    _locked,
    _meeting_errors,
    _save_meeting,
    _sync_meeting_activity,
    attendance_add_visitor,
    attendance_make_member,
    attendance_remove_visitor,
    attendance_save,
    meeting_create,
    meeting_delete,
    meeting_expected_members,
    meeting_guest_add,
    meeting_guest_remove,
    meeting_update,
)
from forums.services.members import (  # noqa: F401
    _board_for,
    _check_member_dates,
    forum_member_add,
    forum_member_change_role,
    forum_member_leave,
)
from forums.services.terms import (  # noqa: F401
    terms_of_reference_add,
)
from forums.services.work_programme import (  # noqa: F401
    WORK_FIELDS,
    _check_work,
    work_item_create,
    work_item_update,
)
