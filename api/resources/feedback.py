"""Feedback forms, "you said, we did" and indicators; read-only, through their selectors."""

from django_filters import rest_framework as filters
from rest_framework import serializers
from rest_framework.response import Response

from api.resources.common import CouncilDetailView, CouncilListView, UpdatedSinceFilterSet
from api.serializers import ReadModelSerializer
from feedback import selectors as feedback_selectors
from feedback.models import FeedbackForm, YouSaidWeDid
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
