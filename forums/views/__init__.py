"""forums.views, in one module per section."""

from forums.views.adults import (  # noqa: F401
    forum_adult_add,
    forum_adult_leave,
)
from forums.views.asks import (  # noqa: F401
    _ask_url,
    _require_answer,
    ask_answer,
    ask_create,
    ask_detail,
    ask_you_said,
    my_asks,
)
from forums.views.calendar import (  # noqa: F401
    forum_calendar_feed,
    forum_calendar_link,
    forum_summary,
)
from forums.views.consultations import (  # noqa: F401
    _consultation_url,
    consultation_decide,
    consultation_detail,
    consultation_outcome,
    consultation_request_create,
)
from forums.views.forums import (  # noqa: F401
    forum_archive,
    forum_create,
    forum_detail,
    forum_edit,
    forum_list,
    forum_member_add,
    forum_member_leave,
    forum_member_role,
)
from forums.views.meetings import (  # noqa: F401
    VISITOR_WORDS,
    _meeting_url,
    _posted_statuses,
    _visitor_confirm,
    _visitor_from_post,
    attendance_visitor,
    meeting_attendance,
    meeting_create,
    meeting_delete,
    meeting_detail,
    meeting_edit,
    meeting_guest_add,
    meeting_guest_remove,
)
from forums.views.terms import (  # noqa: F401
    terms_of_reference,
)
from forums.views.work_programme import (  # noqa: F401
    work_item_edit,
)
