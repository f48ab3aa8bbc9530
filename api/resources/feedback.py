"""Feedback forms, "you said, we did" and indicators; read-only, through their selectors."""

from django_filters import rest_framework as filters
from rest_framework import serializers
from rest_framework.response import Response

from api.resources.common import (
    CouncilDetailView,
    CouncilListView,
    UpdatedSinceFilterSet,
    UtcIsoDateTimeFilter,
)
from api.serializers import ReadModelSerializer
from feedback import selectors as feedback_selectors
from feedback.models import Answer, FeedbackForm, YouSaidWeDid
from feedback.models import Response as FeedbackResponse
from participation.audit import record_access
from participation.strategy import selectors as strategy_selectors
from participation.strategy.models import Indicator, IndicatorValue


class FeedbackFormSerializer(ReadModelSerializer):
    response_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = FeedbackForm
        fields = [
            "id",
            "title",
            "intro",
            "audience",
            "service_area",
            "opens_at",
            "closes_at",
            "is_anonymous",
            "is_closed",
            "live_version",
            "response_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class FeedbackFormFilter(UpdatedSinceFilterSet):
    q = filters.CharFilter(method="_by_selector", max_length=100)
    status = filters.ChoiceFilter(
        choices=[("draft", "Draft"), ("live", "Live"), ("closed", "Closed")],
        method="_by_selector",
    )

    class Meta:
        model = FeedbackForm
        fields = []

    def _by_selector(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        queryset = feedback_selectors.form_list(
            council=self.request.council,
            search=(data.get("q") or "").replace("\x00", ""),
            status=data.get("status") or "",
        )
        if data.get("updated_since"):
            queryset = queryset.filter(updated_at__gte=data["updated_since"])
        return queryset


class FeedbackFormList(CouncilListView):
    queryset = FeedbackForm.objects.none()
    capability = "feedback.view"
    serializer_class = FeedbackFormSerializer
    filterset_class = FeedbackFormFilter
    ordering_fields = ["id", "updated_at"]

    def get_queryset(self):
        return feedback_selectors.form_list(council=self.request.council)


class AnswerSerializer(ReadModelSerializer):
    """One answer: a number (faces, scales, yes/no), the choices ticked, or the words written."""

    choices = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="The choices ticked, by value."
    )

    class Meta:
        model = Answer
        fields = ["question", "number", "choices", "text"]
        read_only_fields = fields


class FeedbackResponseSerializer(ReadModelSerializer):
    """What of a response leaves Heard: never the name, contact details, linked young person,
    who assisted, or "wants to talk" (see docs/api.md). Answers only for roles that see results."""

    # Not read-only in the schema's sense, so the schema lists it as optional: it is left out
    # for roles without "feedback.results".
    answers = AnswerSerializer(
        many=True,
        required=False,
        help_text='Only for roles that see results ("feedback.results"); left out otherwise.',
    )

    class Meta:
        model = FeedbackResponse
        fields = ["id", "form", "version", "submitted_at", "is_assisted", "answers"]
        read_only_fields = fields

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        membership = getattr(request, "membership", None)
        if membership is not None and not membership.can("feedback.results"):
            del fields["answers"]  # not even read from the database
        return fields


class FeedbackResponseFilter(filters.FilterSet):
    submitted_since = UtcIsoDateTimeFilter(
        field_name="submitted_at",
        lookup_expr="gte",
        help_text="Only responses sent at or after this moment (ISO 8601, with a time zone).",
    )

    class Meta:
        model = FeedbackResponse
        fields = []


class FeedbackResponseList(CouncilListView):
    """A form's responses, newest first: when, which version, whether a worker helped, and (for
    roles that see results) the answers. Names, contact details and who the young person is stay
    in Heard."""

    queryset = FeedbackResponse.objects.none()  # for the schema; get_queryset reads
    capability = "feedback.view"
    serializer_class = FeedbackResponseSerializer
    filterset_class = FeedbackResponseFilter
    ordering_fields = ["submitted_at", "id"]
    ordering = ("-submitted_at", "-id")

    def get_queryset(self):
        form = feedback_selectors.access_form(
            council=self.request.council, pk=self.kwargs["form_id"]
        )
        with_answers = self.request.membership.can("feedback.results")
        if with_answers:
            # As the results page: reading children's answers is recorded (ids only).
            record_access(request=self.request, verb="read answers (API)", subject=form)
        return feedback_selectors.form_responses(form=form, with_answers=with_answers)


class FeedbackFormDetail(CouncilDetailView):
    capability = "feedback.view"
    serializer_class = FeedbackFormSerializer

    def get_object(self):
        form = feedback_selectors.access_form(
            council=self.request.council, pk=self.kwargs["form_id"]
        )
        form.response_count = (
            feedback_selectors.form_list(council=self.request.council)
            .filter(pk=form.pk)
            .values_list("response_count", flat=True)
            .first()
        )
        return form


class YouSaidWeDidSerializer(ReadModelSerializer):
    class Meta:
        model = YouSaidWeDid
        fields = [
            "id",
            "you_said",
            "we_did",
            "theme",
            "owner",
            "status",
            "date",
            "is_published",
            "created_at",
        ]
        read_only_fields = fields


class YouSaidWeDidList(CouncilListView):
    queryset = YouSaidWeDid.objects.none()
    # The same role as the "you said, we did" page.
    capability = "feedback.results"
    serializer_class = YouSaidWeDidSerializer
    filter_backends = []
    ordering = "-id"

    def get_queryset(self):
        return feedback_selectors.you_said_list(council=self.request.council)


class IndicatorValueSerializer(ReadModelSerializer):
    class Meta:
        model = IndicatorValue
        fields = ["quarter_end", "value", "recorded_at"]
        read_only_fields = fields


class IndicatorSerializer(ReadModelSerializer):
    values = IndicatorValueSerializer(source="quarter_values", many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "strategy",
            "objective",
            "title",
            "unit",
            "target",
            "higher_is_better",
            "values",
        ]
        read_only_fields = fields


class IndicatorList(CouncilListView):
    """Indicators of the live strategies, each with its values by quarter (the dashboard's)."""

    queryset = Indicator.objects.none()
    capability = "strategy.view"
    serializer_class = IndicatorSerializer
    filter_backends = []
    pagination_class = None

    def list(self, request, *args, **kwargs):
        indicators = strategy_selectors.indicators_with_values(council=request.council)
        return Response(self.get_serializer(indicators, many=True).data)
