"""Activities and young people: the participation log, through its own selectors and services."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from api.resources.common import (
    IDEMPOTENCY_PARAMETER,
    CouncilDetailView,
    CouncilListView,
    UpdatedSinceFilterSet,
    create_once,
    created,
)
from api.serializers import CouncilPrimaryKeyField, ReadModelSerializer, StrictMixin
from participation.activities import selectors, services
from participation.activities.models import (
    COHORTS,
    COUNT_FIELDS,
    Activity,
    ActivityKind,
    LadderRung,
    Method,
    ParticipationType,
    ServiceArea,
    YoungPerson,
)
from participation.activities.selectors import ActivityFilters

MAX_COUNT = 2**31 - 1


def _kinds(request):
    return selectors.kinds(council=request.council)


def _areas(request):
    return selectors.service_areas(council=request.council)


def _workers(request):
    return selectors.workers(council=request.council)


def _visible_people(request):
    # The one rule for who sees which young person: a practitioner names only their own.
    return selectors.visible_young_people(membership=request.membership)


class ActivitySerializer(ReadModelSerializer):
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    service_areas = serializers.SerializerMethodField()
    named_young_people = serializers.IntegerField(source="named_count", read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "title",
            "starts_on",
            "ends_on",
            "status",
            "kind",
            "kind_name",
            "participation_type",
            "ladder_rung",
            "lundy_space",
            "lundy_voice",
            "lundy_audience",
            "lundy_influence",
            "methods",
            "lead_worker",
            *COUNT_FIELDS,
            "what_young_people_said",
            "what_changed",
            "feedback_given",
            "feedback_given_on",
            "incentive_description",
            "incentive_amount",
            "service_areas",
            "named_young_people",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_service_areas(self, activity) -> list[int]:
        return [link.service_area_id for link in activity.area_links.all()]


class ActivityWriteSerializer(StrictMixin, serializers.Serializer):
    title = serializers.CharField(max_length=160)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(Activity.Status.choices, default=Activity.Status.DONE)
    kind = CouncilPrimaryKeyField(selector=_kinds)
    participation_type = serializers.ChoiceField(ParticipationType.choices)
    ladder_rung = serializers.ChoiceField(LadderRung.choices)
    lundy_space = serializers.BooleanField(default=False)
    lundy_voice = serializers.BooleanField(default=False)
    lundy_audience = serializers.BooleanField(default=False)
    lundy_influence = serializers.BooleanField(default=False)
    methods = serializers.ListField(
        child=serializers.ChoiceField(Method.choices), default=list, max_length=len(Method)
    )
    lead_worker = CouncilPrimaryKeyField(selector=_workers, required=False, allow_null=True)
    what_young_people_said = serializers.CharField(
        required=False, allow_blank=True, max_length=20000
    )
    what_changed = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    feedback_given = serializers.BooleanField(default=False)
    feedback_given_on = serializers.DateField(required=False, allow_null=True)
    incentive_description = serializers.CharField(required=False, allow_blank=True, max_length=160)
    incentive_amount = serializers.DecimalField(
        max_digits=8, decimal_places=2, required=False, allow_null=True, min_value=0
    )
    service_areas = serializers.ListField(
        child=CouncilPrimaryKeyField(selector=_areas), default=list, max_length=100
    )
    young_people = serializers.ListField(
        child=CouncilPrimaryKeyField(selector=_visible_people), default=list, max_length=1000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in COUNT_FIELDS:
            self.fields[name] = serializers.IntegerField(
                default=0, min_value=0, max_value=MAX_COUNT
            )


class ActivityFilter(UpdatedSinceFilterSet):
    q = filters.CharFilter(method="_by_selector", max_length=100, help_text="Words in the title.")
    date_from = filters.DateFilter(method="_by_selector", help_text="On or after this date.")
    date_to = filters.DateFilter(method="_by_selector", help_text="On or before this date.")
    kind = filters.ModelChoiceFilter(
        queryset=lambda request: ActivityKind.objects.filter(council=request.council),
        method="_by_selector",
    )
    service_area = filters.ModelChoiceFilter(
        field_name="area_links__service_area",
        queryset=lambda request: ServiceArea.objects.filter(council=request.council),
        method="_by_selector",
    )
    status = filters.ChoiceFilter(choices=Activity.Status.choices, method="_by_selector")

    class Meta:
        model = Activity
        fields = []

    def _by_selector(self, queryset, name, value):
        return queryset  # applied together in filter_queryset, by the pages' selector

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        queryset = selectors.activity_list(
            council=self.request.council,
            filters=ActivityFilters(
                search=(data.get("q") or "").replace("\x00", ""),
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
                kind=data.get("kind"),
                service_area=data.get("service_area"),
                status=data.get("status") or "",
            ),
        )
        if data.get("updated_since"):
            queryset = queryset.filter(updated_at__gte=data["updated_since"])
        return queryset


class ActivityList(CouncilListView):
    """The council's activities, newest first; post one to log it."""

    queryset = Activity.objects.none()  # for the schema; get_queryset reads
    capability = "activities.view"
    write_capability = "activities.log"
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    ordering_fields = ["id", "starts_on", "updated_at"]

    def get_queryset(self):
        return selectors.activity_list(council=self.request.council, filters=ActivityFilters())

    @extend_schema(
        request=ActivityWriteSerializer,
        responses={201: ActivitySerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    def post(self, request, council_slug):
        def create():
            serializer = ActivityWriteSerializer(data=request.data, context={"request": request})
            serializer.is_valid(raise_exception=True)
            fields = dict(serializer.validated_data)
            activity = services.activity_create(
                council=request.council,
                actor=request.user,
                service_areas=fields.pop("service_areas"),
                young_people=fields.pop("young_people"),
                **fields,
            )
            return created(ActivitySerializer, _with_counts(activity), request)

        return create_once(request, create)


def _with_counts(activity: Activity) -> Activity:
    activity.named_count = selectors.activity_participations(activity=activity).count()
    return activity


class ActivityDetail(CouncilDetailView):
    """One activity; PATCH the fields to change, DELETE to delete it (as the activity's page)."""

    capability = "activities.view"
    write_capability = "activities.log"
    serializer_class = ActivitySerializer

    def get_object(self):
        activity = selectors.access_activity(
            council=self.request.council, pk=self.kwargs["activity_id"]
        )
        return _with_counts(activity)

    def editable(self) -> Activity:
        activity = selectors.access_activity(
            council=self.request.council, pk=self.kwargs["activity_id"]
        )
        # The page's rule: officers edit any activity, others the ones they lead or logged.
        if not selectors.can_edit_activity(membership=self.request.membership, activity=activity):
            raise exceptions.PermissionDenied(
                "Only the activity's lead worker, the person who logged it or an officer can "
                "change it."
            )
        return activity

    @extend_schema(request=ActivityWriteSerializer, responses={200: ActivitySerializer})
    def patch(self, request, council_slug, activity_id):
        activity = self.editable()
        serializer = ActivityWriteSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        services.activity_update(
            activity=activity,
            actor=request.user,
            service_areas=fields.pop("service_areas", None),
            young_people=fields.pop("young_people", None),
            **fields,
        )
        return Response(ActivitySerializer(self.get_object(), context={"request": request}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, council_slug, activity_id):
        services.activity_delete(activity=self.editable(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# Young people -------------------------------------------------------------------------------

EQUALITY_FIELDS = services.EQUALITY_FIELDS


class YoungPersonSerializer(ReadModelSerializer):
    # Not read-only in the schema's sense, so the schema lists them as optional: they are left
    # out for roles without "young_people.equality".
    ethnicity = serializers.ChoiceField(
        YoungPerson.Ethnicity.choices, required=False, allow_blank=True
    )
    gender = serializers.ChoiceField(YoungPerson.Gender.choices, required=False, allow_blank=True)
    disability = serializers.ChoiceField(
        YoungPerson.Disability.choices, required=False, allow_blank=True
    )

    class Meta:
        model = YoungPerson
        fields = ["id", *services.YOUNG_PERSON_FIELDS, "created_at", "updated_at"]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context["request"].membership.can("young_people.equality"):
            # Special-category data: left out, not blanked, for roles that may not see it.
            for name in EQUALITY_FIELDS:
                data.pop(name, None)
        return data


class YoungPersonWriteSerializer(StrictMixin, serializers.ModelSerializer):
    class Meta:
        model = YoungPerson
        fields = list(services.YOUNG_PERSON_FIELDS)
        extra_kwargs = {"reference": {"required": False, "allow_blank": True}}

    def get_validators(self):
        # The reference's uniqueness is the service's to check (with the page's words).
        return []

    def validate(self, attrs):
        membership = self.context["request"].membership
        sent = set(attrs) & set(EQUALITY_FIELDS)
        if sent and not membership.can("young_people.equality"):
            raise serializers.ValidationError(
                {name: ["Your role cannot record equality data."] for name in sorted(sent)}
            )
        return attrs


class YoungPersonFilter(UpdatedSinceFilterSet):
    q = filters.CharFilter(
        method="_by_selector", max_length=100, help_text="Name, or the exact reference."
    )
    cohort = filters.ChoiceFilter(choices=COHORTS, method="_by_selector")

    class Meta:
        model = YoungPerson
        fields = []

    def _by_selector(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        queryset = selectors.young_person_list(
            membership=self.request.membership,
            search=(data.get("q") or "").replace("\x00", ""),
            cohort=data.get("cohort") or "",
        )
        if data.get("updated_since"):
            queryset = queryset.filter(updated_at__gte=data["updated_since"])
        return queryset


class YoungPersonList(CouncilListView):
    """Young people the person may see (a practitioner: those on their own activities)."""

    queryset = YoungPerson.objects.none()  # for the schema; get_queryset reads
    capability = "young_people.view"
    write_capability = "young_people.edit"
    serializer_class = YoungPersonSerializer
    filterset_class = YoungPersonFilter
    ordering_fields = ["id", "updated_at", "reference"]

    def get_queryset(self):
        return selectors.young_person_list(membership=self.request.membership)

    @extend_schema(
        request=YoungPersonWriteSerializer,
        responses={201: YoungPersonSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    def post(self, request, council_slug):
        def create():
            serializer = YoungPersonWriteSerializer(data=request.data, context={"request": request})
            serializer.is_valid(raise_exception=True)
            person = services.young_person_create(
                council=request.council, actor=request.user, **serializer.validated_data
            )
            return created(YoungPersonSerializer, person, request)

        return create_once(request, create)


class YoungPersonDetail(CouncilDetailView):
    """One young person's record; PATCH the fields to change, DELETE to delete the record (the
    page's deletion: their activities stay, the audit trail keeps who deleted it)."""

    capability = "young_people.view"
    write_capability = "young_people.edit"
    delete_capability = "young_people.delete"
    serializer_class = YoungPersonSerializer

    def get_object(self):
        return selectors.access_young_person(
            membership=self.request.membership, pk=self.kwargs["young_person_id"]
        )

    @extend_schema(request=YoungPersonWriteSerializer, responses={200: YoungPersonSerializer})
    def patch(self, request, council_slug, young_person_id):
        person = self.get_object()
        serializer = YoungPersonWriteSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        person = services.young_person_update(
            young_person=person, actor=request.user, **serializer.validated_data
        )
        return Response(YoungPersonSerializer(person, context={"request": request}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, council_slug, young_person_id):
        services.young_person_delete(young_person=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# The council's own lists, which an activity's ids refer to -----------------------------------


class ActivityKindSerializer(ReadModelSerializer):
    class Meta:
        model = ActivityKind
        fields = ["id", "name", "usual_type", "is_active"]
        read_only_fields = fields


class ActivityKindList(CouncilListView):
    """Kinds of activity in use in this council: an activity's `kind` is one of these ids."""

    queryset = ActivityKind.objects.none()
    capability = "activities.view"
    serializer_class = ActivityKindSerializer
    filter_backends = []
    ordering = "id"

    def get_queryset(self):
        return selectors.kinds(council=self.request.council)


class ServiceAreaSerializer(ReadModelSerializer):
    class Meta:
        model = ServiceArea
        fields = ["id", "name", "is_active"]
        read_only_fields = fields


class ServiceAreaList(CouncilListView):
    queryset = ServiceArea.objects.none()
    capability = "activities.view"
    serializer_class = ServiceAreaSerializer
    filter_backends = []
    ordering = "id"

    def get_queryset(self):
        return selectors.service_areas(council=self.request.council)
