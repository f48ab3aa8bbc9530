"""Strategies, objectives, actions and their status updates."""

from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers

from api.resources.common import (
    IDEMPOTENCY_PARAMETER,
    CouncilDetailView,
    CouncilListView,
    UpdatedSinceFilterSet,
    create_once,
    created,
)
from api.serializers import ReadModelSerializer, StrictSerializer
from participation.strategy import selectors, services
from participation.strategy.models import Action, Objective, Status, StatusUpdate, Strategy
from participation.strategy.selectors import ActionFilters


class StrategySerializer(ReadModelSerializer):
    objective_count = serializers.IntegerField(read_only=True)
    action_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Strategy
        fields = [
            "id",
            "title",
            "period_start",
            "period_end",
            "vision",
            "state",
            "objective_count",
            "action_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class StrategyFilter(UpdatedSinceFilterSet):
    archived = filters.BooleanFilter(method="_by_selector", help_text="Archived strategies.")

    class Meta:
        model = Strategy
        fields = []

    def _by_selector(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        queryset = selectors.strategy_list(
            council=self.request.council, archived=bool(data.get("archived"))
        )
        if data.get("updated_since"):
            queryset = queryset.filter(updated_at__gte=data["updated_since"])
        return queryset


class StrategyList(CouncilListView):
    queryset = Strategy.objects.none()  # for the schema; get_queryset reads
    capability = "strategy.view"
    serializer_class = StrategySerializer
    filterset_class = StrategyFilter
    ordering_fields = ["id", "period_start", "updated_at"]

    def get_queryset(self):
        return selectors.strategy_list(council=self.request.council)


class StrategyDetail(CouncilDetailView):
    capability = "strategy.view"
    serializer_class = StrategySerializer

    def get_object(self):
        pk = self.kwargs["strategy_id"]
        strategy = selectors.access_strategy(council=self.request.council, pk=pk)
        # The list's own counts, from the list's selector (archived strategies are a list apart).
        row = (
            selectors.strategy_list(
                council=self.request.council, archived=strategy.state == Strategy.State.ARCHIVED
            )
            .filter(pk=strategy.pk)
            .first()
        )
        strategy.objective_count = row.objective_count if row else 0
        strategy.action_count = row.action_count if row else 0
        return strategy


class ObjectiveSerializer(ReadModelSerializer):
    class Meta:
        model = Objective
        fields = ["id", "strategy", "code", "title", "description", "order"]
        read_only_fields = fields


class ObjectiveList(CouncilListView):
    """A strategy's objectives, in the plan's order."""

    queryset = Objective.objects.none()  # for the schema; get_queryset reads
    capability = "strategy.view"
    serializer_class = ObjectiveSerializer
    filter_backends = []
    ordering = "order"

    def get_queryset(self):
        strategy = selectors.access_strategy(
            council=self.request.council, pk=self.kwargs["strategy_id"]
        )
        return selectors.objectives_with_counts(strategy=strategy, today=timezone.localdate())


class ActionSerializer(ReadModelSerializer):
    strategy = serializers.IntegerField(source="objective.strategy_id", read_only=True)
    shown_status = serializers.ChoiceField(
        Status.choices,
        read_only=True,
        help_text="The status the pages show today: an action past its due date shows overdue.",
    )
    owner = serializers.IntegerField(source="owner_id", read_only=True, allow_null=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "strategy",
            "objective",
            "title",
            "desired_outcome",
            "success_criteria",
            "owner",
            "owner_name",
            "owner_organisation",
            "team",
            "start_date",
            "due_date",
            "status",
            "shown_status",
            "status_changed_at",
            "is_archived",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ActionFilter(UpdatedSinceFilterSet):
    strategy = filters.NumberFilter(method="_by_selector", min_value=1, max_value=2**53)
    objective = filters.NumberFilter(method="_by_selector", min_value=1, max_value=2**53)
    owner = filters.NumberFilter(
        method="_by_selector", min_value=1, max_value=2**53, help_text="A membership id."
    )
    status = filters.ChoiceFilter(choices=Status.choices, method="_by_selector")
    archived = filters.BooleanFilter(method="_by_selector")

    class Meta:
        model = Action
        fields = []

    def _by_selector(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data

        def number(name):
            value = data.get(name)
            return int(value) if value is not None else None

        queryset = selectors.action_list(
            council=self.request.council,
            filters=ActionFilters(
                strategy=number("strategy"),
                objective=number("objective"),
                owner=number("owner"),
                status=data.get("status") or "",
                archived=bool(data.get("archived")),
            ),
            today=timezone.localdate(),
        )
        if data.get("updated_since"):
            queryset = queryset.filter(updated_at__gte=data["updated_since"])
        return queryset


class ActionList(CouncilListView):
    queryset = Action.objects.none()  # for the schema; get_queryset reads
    capability = "strategy.view"
    serializer_class = ActionSerializer
    filterset_class = ActionFilter
    ordering_fields = ["id", "due_date", "updated_at"]

    def get_queryset(self):
        return selectors.action_list(
            council=self.request.council, filters=ActionFilters(), today=timezone.localdate()
        )


class ActionDetail(CouncilDetailView):
    capability = "strategy.view"
    serializer_class = ActionSerializer

    def get_object(self):
        action = selectors.access_action(council=self.request.council, pk=self.kwargs["action_id"])
        action.shown_status = selectors.status_of(action, on=timezone.localdate())
        return action


class StatusUpdateSerializer(ReadModelSerializer):
    class Meta:
        model = StatusUpdate
        fields = ["id", "action", "status", "commentary", "author", "at"]
        read_only_fields = fields


class StatusUpdateWriteSerializer(StrictSerializer):
    status = serializers.ChoiceField(Status.choices)
    commentary = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class StatusUpdateList(CouncilListView):
    """An action's status history, newest first; post one to update the action's status."""

    queryset = StatusUpdate.objects.none()  # for the schema; get_queryset reads
    capability = "strategy.view"
    # Owners may update their own action whatever their role: checked per action below.
    write_capability = "strategy.view"
    serializer_class = StatusUpdateSerializer
    filter_backends = []
    ordering = "-at"

    def get_action(self) -> Action:
        return selectors.access_action(council=self.request.council, pk=self.kwargs["action_id"])

    def get_queryset(self):
        return selectors.action_history(action=self.get_action())

    @extend_schema(
        request=StatusUpdateWriteSerializer,
        responses={201: StatusUpdateSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    def post(self, request, council_slug, action_id):
        action = self.get_action()
        if not services.may_update_status(membership=request.membership, action=action):
            raise exceptions.PermissionDenied(
                "Only the action's owner, a manager or an officer can update it."
            )

        def create():
            serializer = StatusUpdateWriteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            update = services.action_update_status(
                action=action,
                membership=request.membership,
                status=serializer.validated_data["status"],
                commentary=serializer.validated_data.get("commentary", ""),
            )
            return created(StatusUpdateSerializer, update, request)

        return create_once(request, create)
