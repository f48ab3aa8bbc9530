"""One error body for every API answer that is not a success:

    {"errors": [{"field": "starts_on", "message": "..."}]}

`field` is null for errors about the request as a whole (authentication, permissions, a missing
record, the method, the body's size or type, the rate limit).
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "A request with this Idempotency-Key is still being processed. Try again."
    default_code = "conflict"


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = (
        "This Idempotency-Key was already used with a different body. "
        "Use a new key for a new request."
    )
    default_code = "key_reused"


def _flatten(detail, field=None) -> list[dict]:
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "__all__") else key
            if field and isinstance(name, int):
                name = f"{field}[{name}]"  # the position in a list of ids
            elif field and name is not None:
                name = f"{field}.{name}"
            elif field:
                name = field
            out.extend(_flatten(value, name))
        return out
    if isinstance(detail, list):
        out = []
        for index, value in enumerate(detail):
            # A list of dicts is a list of nested objects: name each by its position.
            if isinstance(value, dict) and field:
                out.extend(_flatten(value, f"{field}[{index}]"))
            else:
                out.extend(_flatten(value, field))
        return out
    return [{"field": field, "message": str(detail)}]


def error_body(detail, field=None) -> dict:
    return {"errors": _flatten(detail, field)}


def django_validation_detail(error: DjangoValidationError):
    if hasattr(error, "error_dict"):
        return {
            field: [message for e in errors for message in e.messages]
            for field, errors in error.error_dict.items()
        }
    return error.messages


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        # A service refused the write: the same words the page shows, by field.
        exc = exceptions.ValidationError(django_validation_detail(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.NotFound):
        # The same words for a missing record and another council's: nothing is revealed.
        response.data = error_body("Not found.")
    else:
        data = response.data
        # A service's error about the record as a whole is a list of messages, not a dict.
        response.data = error_body(data.get("detail", data) if isinstance(data, dict) else data)
    return response


def json_error(status_code: int, message: str) -> JsonResponse:
    """For answers given outside a DRF view (an unknown address under /api/v1/)."""
    return JsonResponse(error_body(message), status=status_code)


@csrf_exempt  # a POST to an address that does not exist is a 404, not a CSRF failure
def not_found_view(request, *args, **kwargs):
    return json_error(404, "Not found.")


def error_response(status_code: int, message: str, field=None) -> Response:
    return Response(error_body(message, field), status=status_code)
