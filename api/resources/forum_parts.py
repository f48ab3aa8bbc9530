"""A forum's members, meetings (with attendance), asks and consultation requests; read-only."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from api.resources.common import CouncilDetailView, CouncilListView
from api.serializers import ReadModelSerializer
from forums import selectors
from forums.models import Ask, ConsultationRequest, ForumMember, Meeting


class ForumPartList(CouncilListView):
    """Lists inside one forum: the forum is found in the council first (404 otherwise)."""

    capability = "forums.view"
    filter_backends = []

    def get_forum(self):
        return selectors.access_forum(council=self.request.council, pk=self.kwargs["forum_id"])


class MemberSerializer(ReadModelSerializer):
    class Meta:
        model = ForumMember
        fields = ["id", "young_person", "role", "board", "joined_on", "left_on", "updated_at"]
        read_only_fields = fields


class MemberList(ForumPartList):
    """Young members the person may see (the same rule as young people's records)."""

    queryset = ForumMember.objects.none()
    serializer_class = MemberSerializer
    ordering = "id"

    def get_queryset(self):
        return selectors.forum_members(forum=self.get_forum(), membership=self.request.membership)


class MeetingSerializer(ReadModelSerializer):
    present_count = serializers.IntegerField(read_only=True)
    recorded_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "forum",
            "date",
            "starts_at",
            "ends_at",
            "place",
            "online",
            "agenda",
            "minutes",
            "summary",
            "activity",
            "present_count",
            "recorded_count",
            "updated_at",
        ]
        read_only_fields = fields


class MeetingList(ForumPartList):
    queryset = Meeting.objects.none()
    serializer_class = MeetingSerializer
    ordering = "-date"

    def get_queryset(self):
        return selectors.forum_meetings(forum=self.get_forum())


class AttendanceLineSerializer(serializers.Serializer):
    young_person = serializers.IntegerField()
    status = serializers.CharField(help_text='present, apologies, absent, or "" if not marked.')
    is_member = serializers.BooleanField()


class MeetingDetailSerializer(MeetingSerializer):
    attendance = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "attendance"]
        read_only_fields = fields

    @extend_schema_field(AttendanceLineSerializer(many=True))
    def get_attendance(self, meeting):
        # Ids and marks only: names stay on the tablet-friendly page.
        return [
            {
                "young_person": line.young_person.pk,
                "status": line.status,
                "is_member": line.is_member,
            }
            for line in selectors.attendance_sheet(meeting=meeting)
        ]


class MeetingDetail(CouncilDetailView):
    capability = "forums.view"
    serializer_class = MeetingDetailSerializer

    def get_object(self):
        forum = selectors.access_forum(council=self.request.council, pk=self.kwargs["forum_id"])
        meeting = selectors.access_meeting(forum=forum, pk=self.kwargs["meeting_id"])
        counts = selectors.meeting_attendance_counts(meeting=meeting)
        meeting.present_count = counts.get("present", 0)
        meeting.recorded_count = (
            counts["present"] + counts["apologies"] + counts["absent"] - counts["visitors"]
        )
        return meeting


class AskSerializer(ReadModelSerializer):
    class Meta:
        model = Ask
        fields = [
            "id",
            "forum",
            "meeting",
            "raised_on",
            "you_said",
            "addressed_to",
            "addressed_to_role",
            "due_on",
            "status",
            "response",
            "answered_on",
            "you_said_entry",
            "updated_at",
        ]
        read_only_fields = fields


class AskList(ForumPartList):
    queryset = Ask.objects.none()
    serializer_class = AskSerializer
    ordering = "-id"

    def get_queryset(self):
        return selectors.forum_asks(forum=self.get_forum())


class ConsultationSerializer(ReadModelSerializer):
    class Meta:
        model = ConsultationRequest
        fields = [
            "id",
            "forum",
            "requested_by",
            "topic",
            "reason",
            "needed_by",
            "format",
            "status",
            "decline_reason",
            "meeting",
            "decided_on",
            "forum_said",
            "responded_on",
            "updated_at",
        ]
        read_only_fields = fields


class ConsultationList(ForumPartList):
    """Requests still to decide or do (as the forum's page lists them)."""

    queryset = ConsultationRequest.objects.none()
    serializer_class = ConsultationSerializer
    pagination_class = None

    def list(self, request, *args, **kwargs):
        pending = selectors.forum_consultations(forum=self.get_forum())["pending"]
        return Response(self.get_serializer(pending, many=True).data)
