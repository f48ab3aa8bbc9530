"""The OpenAPI description: every operation also documents the one error body."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from feedback.models import FeedbackForm
from forums.models import Ask, Attendance, Forum
from forums.services import ANSWER_STATUSES
from participation.activities.models import Activity
from participation.strategy.models import Status
from reporting.models import ReportRun

ACTIVITY_STATUS = Activity.Status.choices
ACTION_STATUS = Status.choices
FORUM_AUDIENCE = Forum.Audience.choices
FORM_AUDIENCE = FeedbackForm.Audience.choices
REPORT_AUDIENCE = ReportRun.Audience.choices
ASK_STATUS = Ask.Status.choices
# An answer is one of these; an ask is also "open" until it has one.
ASK_ANSWER_STATUS = [
    (value, label) for value, label in Ask.Status.choices if value in ANSWER_STATUSES
]
ATTENDANCE_STATUS = Attendance.Status.choices


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(
        allow_null=True, help_text="The field at fault, or null for the request as a whole."
    )
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    errors = ErrorItemSerializer(many=True)


ERRORS_EVERYWHERE = {
    "401": "No token, or a token that is not valid, has expired or was revoked.",
    "403": "Your role, or a read-only token, does not allow this.",
    "404": "Not found, or not in this council.",
    "405": "This method is not allowed here.",
    "406": "Only JSON is answered.",
    "429": "Too many requests: wait the seconds in Retry-After.",
}
ERRORS_WITH_BODY = {
    "400": "The request is not valid: see each field's message.",
    "409": "A request with this Idempotency-Key is still being processed.",
    "413": "The body is over the size limit.",
    "415": "Send JSON (Content-Type: application/json).",
    "422": "This Idempotency-Key was used with a different body.",
}
ERRORS_ON_LISTS = {"400": "A filter, the ordering or the cursor is not valid."}


class HeardAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = dict(ERRORS_EVERYWHERE)
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            codes.update(ERRORS_WITH_BODY)
        elif any(p for p in self._get_filter_parameters() or []) or self._is_list_view():
            codes.update(ERRORS_ON_LISTS)
        for code, description in codes.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code)
                response["description"] = description
                responses[code] = response
        return responses


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token from your API tokens page: heard_<prefix>_<secret>.",
        }
