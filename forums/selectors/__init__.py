"""forums.selectors, in one module per section."""

from forums.selectors.asks import (  # noqa: F401
    access_ask,
    ask_history,
    asks_answered,
    asks_answered_between,
    asks_for,
    asks_raised,
    can_answer_ask,
    forum_asks,
    people_who_can_be_asked,
)
from forums.selectors.calendar import (  # noqa: F401
    calendar_by_token,
    calendar_meetings,
    live_calendar_link,
)
from forums.selectors.common import (  # noqa: F401
    _per_forum_count,
    access_forum,
    access_forum_member,
    access_visible_forum_member,
    forum_list,
    forum_members,
    forum_summary,
    young_person_forums,
)
from forums.selectors.consultations import (  # noqa: F401
    CONSULTATION_WINDOW_DAYS,
    access_consultation,
    can_see_consultation,
    consultation_counts,
    consultations_requested_by,
    forum_consultations,
)
from forums.selectors.meetings import (  # noqa: F401
    RATE_WINDOW_DAYS,
    AttendanceLine,
    _attendance_in_window,
    _tally,
    _window,
    access_meeting,
    access_meeting_guest,
    attendance_rate_between,
    attendance_sheet,
    forum_attendance,
    forum_attendance_rate,
    forum_meetings,
    latest_and_next_meetings,
    meeting_attendance_counts,
    meeting_for_activity,
    meetings_held,
    member_attendance_rates,
    members_marked_between,
    next_meeting,
    rate,
    young_person_attendance,
)
from forums.selectors.members import (  # noqa: F401
    BAND_AGES,
    ELIGIBILITY_HORIZON_DAYS,
    EligibilityWarning,
    _birthday,
    access_forum_adult,
    eligibility_warnings,
    forum_adults,
)
from forums.selectors.summary import (  # noqa: F401
    annual_summary,
    blank_period_figures,
    period_figures_by_forum,
    summary_year,
)
from forums.selectors.terms import (  # noqa: F401
    terms_of_reference_overdue,
    terms_of_reference_versions,
)
from forums.selectors.work_programme import (  # noqa: F401
    access_work_item,
    forum_work,
    objective_choices,
    work_for_objective,
)
