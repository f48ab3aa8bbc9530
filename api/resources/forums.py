"""Forums, read through forums.selectors."""

from django_filters import rest_framework as filters

from api.resources.common import CouncilDetailView, CouncilListView, UpdatedSinceFilterSet
from api.serializers import ReadModelSerializer
from forums import selectors
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
    queryset = Forum.objects.none()  # for the schema; get_queryset reads
    capability = "forums.view"
    serializer_class = ForumSerializer
    filterset_class = ForumFilter
    ordering_fields = ["id", "name", "updated_at"]

    def get_queryset(self):
        return selectors.forum_list(council=self.request.council)


class ForumDetail(CouncilDetailView):
    capability = "forums.view"
    serializer_class = ForumSerializer

    def get_object(self):
        return selectors.access_forum(council=self.request.council, pk=self.kwargs["forum_id"])
