"""The REST API, version 1. `API_URL_NAMES` lists every route, for tests that walk them all."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from api import errors, pages
from api.resources import activities, aggregates, feedback, forum_parts, forums, reports, strategy

# Redoc draws its styles at run time and reads the schema in a worker: the docs page (which
# shows no council data) allows both; every other page keeps the strict policy.
docs_view = csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})(
    SpectacularRedocView.as_view(url_name="api_schema", template_name="api/redoc.html")
)

council_api = [
    path("activities/", activities.ActivityList.as_view(), name="api_activity_list"),
    path(
        "activities/<int:activity_id>/",
        activities.ActivityDetail.as_view(),
        name="api_activity_detail",
    ),
    path("activity-kinds/", activities.ActivityKindList.as_view(), name="api_activity_kind_list"),
    path("service-areas/", activities.ServiceAreaList.as_view(), name="api_service_area_list"),
    path("young-people/", activities.YoungPersonList.as_view(), name="api_young_person_list"),
    path(
        "young-people/<int:young_person_id>/",
        activities.YoungPersonDetail.as_view(),
        name="api_young_person_detail",
    ),
    path("forums/", forums.ForumList.as_view(), name="api_forum_list"),
    path("forums/<int:forum_id>/", forums.ForumDetail.as_view(), name="api_forum_detail"),
    path(
        "forums/<int:forum_id>/members/",
        forum_parts.MemberList.as_view(),
        name="api_forum_member_list",
    ),
    path(
        "forums/<int:forum_id>/members/<int:member_id>/",
        forum_parts.MemberDetail.as_view(),
        name="api_forum_member_detail",
    ),
    path(
        "forums/<int:forum_id>/meetings/",
        forum_parts.MeetingList.as_view(),
        name="api_meeting_list",
    ),
    path(
        "forums/<int:forum_id>/meetings/<int:meeting_id>/",
        forum_parts.MeetingDetail.as_view(),
        name="api_meeting_detail",
    ),
    path(
        "forums/<int:forum_id>/meetings/<int:meeting_id>/attendance/",
        forum_parts.MeetingAttendance.as_view(),
        name="api_meeting_attendance",
    ),
    path(
        "forums/<int:forum_id>/meetings/<int:meeting_id>/attendance/visitors/",
        forum_parts.MeetingVisitors.as_view(),
        name="api_meeting_visitors",
    ),
    path(
        "forums/<int:forum_id>/meetings/<int:meeting_id>/attendance/visitors/<int:young_person_id>/",
        forum_parts.MeetingVisitor.as_view(),
        name="api_meeting_visitor",
    ),
    path("forums/<int:forum_id>/asks/", forum_parts.AskList.as_view(), name="api_ask_list"),
    path(
        "forums/<int:forum_id>/asks/<int:ask_id>/answers/",
        forum_parts.AskAnswerList.as_view(),
        name="api_ask_answer_list",
    ),
    path(
        "forums/<int:forum_id>/consultations/",
        forum_parts.ConsultationList.as_view(),
        name="api_consultation_list",
    ),
    path(
        "forums/<int:forum_id>/consultations/<int:consultation_id>/",
        forum_parts.ConsultationDetail.as_view(),
        name="api_consultation_detail",
    ),
    path("feedback-forms/", feedback.FeedbackFormList.as_view(), name="api_feedback_form_list"),
    path(
        "feedback-forms/<int:form_id>/",
        feedback.FeedbackFormDetail.as_view(),
        name="api_feedback_form_detail",
    ),
    path(
        "feedback-forms/<int:form_id>/responses/",
        feedback.FeedbackResponseList.as_view(),
        name="api_feedback_response_list",
    ),
    path("you-said-we-did/", feedback.YouSaidWeDidList.as_view(), name="api_you_said_list"),
    path("indicators/", feedback.IndicatorList.as_view(), name="api_indicator_list"),
    path("strategies/", strategy.StrategyList.as_view(), name="api_strategy_list"),
    path(
        "strategies/<int:strategy_id>/",
        strategy.StrategyDetail.as_view(),
        name="api_strategy_detail",
    ),
    path(
        "strategies/<int:strategy_id>/objectives/",
        strategy.ObjectiveList.as_view(),
        name="api_objective_list",
    ),
    path("actions/", strategy.ActionList.as_view(), name="api_action_list"),
    path("actions/<int:action_id>/", strategy.ActionDetail.as_view(), name="api_action_detail"),
    path(
        "actions/<int:action_id>/status-updates/",
        strategy.StatusUpdateList.as_view(),
        name="api_status_update_list",
    ),
    path("reports/", reports.ReportRunList.as_view(), name="api_report_list"),
    path(
        "reports/<int:run_id>/download/",
        reports.ReportDownload.as_view(),
        name="api_report_download",
    ),
    path(
        "figures/action-status/",
        aggregates.ActionStatusCounts.as_view(),
        name="api_action_status_counts",
    ),
    path(
        "figures/activities-by-quarter/",
        aggregates.ActivityCountsByQuarter.as_view(),
        name="api_activity_counts_by_quarter",
    ),
    path("figures/reach/", aggregates.ReachThisQuarter.as_view(), name="api_reach"),
]

urlpatterns = [
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/v1/docs/", docs_view, name="api_docs"),
    path("api/v1/c/<slug:council_slug>/", include(council_api)),
    # Anything else under the API answers in the API's words, not with an HTML page.
    re_path(r"^api/v1/", errors.not_found_view),
]

# The token page lives with the council's pages, under /c/<slug>/.
token_pages = [
    path("api-tokens/", pages.token_list, name="api_tokens"),
    path("api-tokens/<int:token_id>/revoke/", pages.token_revoke, name="api_token_revoke"),
]

API_URL_NAMES = [pattern.name for pattern in council_api]
