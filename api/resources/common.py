"""What every council resource shares: filters by the selector, ordering, cursor pages."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import mixins, status
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from api.base import CouncilAPIView
from api.idempotency import HEADER, idempotent_create
from api.pagination import Cursor

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Any unique text (a UUID): a retried call with the same key and body gets the "
    "first answer and creates nothing new.",
)


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 moment, handed to the database in UTC: PostgreSQL refuses offsets beyond
    ±15:59 that Python accepts (schemathesis sent -18:07), which would be a 500, not a 400."""

    def clean(self, value):
        value = super().clean(value)
        if value is None:
            return value
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError:
            raise ValidationError("Give a moment between the years 1 and 9999.") from None


class UtcIsoDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class UpdatedSinceFilterSet(filters.FilterSet):
    """Every list can be read incrementally: what changed at or after a moment."""

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            # PostgreSQL text cannot hold NUL; the pages drop it from searches, and so does the API.
            data = data.copy()
            for key in list(data):
                data.setlist(key, [value.replace("\x00", "") for value in data.getlist(key)])
        super().__init__(data, *args, **kwargs)

    updated_since = UtcIsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Only records changed at or after this moment (ISO 8601, with a time zone).",
    )


class CouncilListView(mixins.ListModelMixin, CouncilAPIView):
    """A council list read through its selector, filtered, ordered and paginated by cursor."""

    pagination_class = Cursor
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["id"]
    ordering = "-id"

    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)


class CouncilDetailView(mixins.RetrieveModelMixin, CouncilAPIView):
    def get(self, request, *args, **kwargs):
        return self.retrieve(request, *args, **kwargs)


def created(serializer_class, instance, request) -> Response:
    return Response(
        serializer_class(instance, context={"request": request}).data,
        status=status.HTTP_201_CREATED,
    )


def create_once(request, create) -> Response:
    return idempotent_create(request, create)


def now():
    return timezone.now()
