"""Forums: read through forums.selectors; created, changed, archived and restored through the
forum pages' services (forums/services/common.py)."""

from django.db import transaction
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from api.resources.common import (
    IDEMPOTENCY_PARAMETER,
    CouncilDetailView,
    CouncilListView,
    UpdatedSinceFilterSet,
    create_once,
    created,
)
from api.serializers import ReadModelSerializer, StrictSerializer
from forums import selectors, services
from forums.models import Forum


class ForumSerializer(ReadModelSerializer):
    class Meta:
        model = Forum
        fields = [
            "id",
            "name",
            "audience",
            "meets",
            "purpose",
            "terms_of_reference",
            "min_age",
            "max_age",
            "is_archived",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ForumWriteSerializer(StrictSerializer):
    """The forum page's fields. Terms of reference keep their versions on the forum's page."""

    name = serializers.CharField(max_length=120)
    audience = serializers.ChoiceField(Forum.Audience.choices)
    meets = serializers.ChoiceField(Forum.Frequency.choices)
    purpose = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    # The service says what a wrong age is (0 to 25, youngest before oldest), in the page's words.
    min_age = serializers.IntegerField(required=False, allow_null=True)
    max_age = serializers.IntegerField(required=False, allow_null=True)


class ForumUpdateSerializer(ForumWriteSerializer):
    is_archived = serializers.BooleanField(
        required=False,
        help_text="true to archive the forum (nothing is deleted), false to restore it.",
    )


class ForumFilter(UpdatedSinceFilterSet):
    q = filters.CharFilter(method="_by_selector", max_length=100, help_text="Words in the name.")
    audience = filters.ChoiceFilter(choices=Forum.Audience.choices, method="_by_selector")
    archived = filters.BooleanFilter(method="_by_selector", help_text="Archived forums instead.")

    class Meta:
        model = Forum
        fields = []

    def _by_selector(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        queryset = selectors.forum_list(
            council=self.request.council,
            search=(data.get("q") or "").replace("\x00", ""),
            audience=data.get("audience") or "",
            archived=bool(data.get("archived")),
        )
        if data.get("updated_since"):
            queryset = queryset.filter(updated_at__gte=data["updated_since"])
        return queryset


class ForumList(CouncilListView):
    """The council's forums; post one to add a forum (as the "Add a forum" page)."""

    queryset = Forum.objects.none()  # for the schema; get_queryset reads
    capability = "forums.view"
    write_capability = "forums.edit"
    serializer_class = ForumSerializer
    filterset_class = ForumFilter
    ordering_fields = ["id", "name", "updated_at"]

    def get_queryset(self):
        return selectors.forum_list(council=self.request.council)

    @extend_schema(
        request=ForumWriteSerializer,
        responses={201: ForumSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    def post(self, request, council_slug):
        def create():
            serializer = ForumWriteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            forum = services.forum_create(
                council=request.council, actor=request.user, **serializer.validated_data
            )
            return created(ForumSerializer, forum, request)

        return create_once(request, create)


class ForumDetail(CouncilDetailView):
    """One forum; PATCH the fields to change, or `is_archived` to archive or restore it."""

    capability = "forums.view"
    write_capability = "forums.edit"
    serializer_class = ForumSerializer

    def get_object(self):
        return selectors.access_forum(council=self.request.council, pk=self.kwargs["forum_id"])

    @extend_schema(request=ForumUpdateSerializer(partial=True), responses={200: ForumSerializer})
    def patch(self, request, council_slug, forum_id):
        forum = self.get_object()
        serializer = ForumUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        archived = fields.pop("is_archived", None)
        # Both or neither: a refused change does not leave the forum archived.
        with transaction.atomic():
            if fields:
                forum = services.forum_update(forum=forum, actor=request.user, **fields)
            if archived is not None:
                forum = services.forum_set_archived(
                    forum=forum, actor=request.user, archived=archived
                )
        return Response(self.get_serializer(forum).data)
