"""Serializer bases: unknown fields are refused, not ignored."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class StrictMixin:
    """Refuse any field the serializer does not accept, naming it."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError(
                    {name: ["This field is not accepted here."] for name in unknown}
                )
        return super().to_internal_value(data)


class StrictSerializer(StrictMixin, serializers.Serializer):
    pass


MAX_ID = 2**63 - 1


@extend_schema_field(OpenApiTypes.INT)
class CouncilPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """An id of one of this council's records. Another council's id is answered as if it did not
    exist: "does not exist" in the field's error, and nothing written."""

    def __init__(self, *, model=None, selector=None, **kwargs):
        self.model = model
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context["request"]
        if self.selector is not None:
            return self.selector(request)
        return self.model.objects.filter(council=request.council)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 0 < data <= MAX_ID:
            # Beyond any id the database holds: asking it would be an error, not a miss.
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class ReadModelSerializer(serializers.ModelSerializer):
    """For answers: read-only fields keep "may be blank", so the schema allows the "" a blank
    choice holds (DRF drops allow_blank from read-only fields, and the schema with it)."""

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        blank = kwargs.get("allow_blank")
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if kwargs.get("read_only") and blank:
            kwargs["allow_blank"] = True
        return kwargs
