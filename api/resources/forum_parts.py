"""A forum's members, meetings (with attendance), asks and consultation requests.

Writes call the forum pages' services (forums/services/): add a member, change their role or
record that they left; record, change and delete a meeting, record its attendance; record an ask
and answer it; ask to consult the forum and decide or record what it said.
"""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from api.resources.common import (
    IDEMPOTENCY_PARAMETER,
    CouncilAPIView,
    CouncilDetailView,
    CouncilListView,
    create_once,
    created,
)
from api.schema import ASK_ANSWER_STATUS
from api.serializers import (
    CouncilPrimaryKeyField,
    ReadModelSerializer,
    StrictSerializer,
)
from forums import selectors, services
from forums.models import Ask, AskAnswer, Attendance, ConsultationRequest, ForumMember, Meeting
from participation.activities.selectors import visible_young_people


def _forum(request, forum_id):
    return selectors.access_forum(council=request.council, pk=forum_id)


class ForumSerializer(StrictSerializer):
    """A write body whose `meeting` must be one of the forum's meetings (context["forum"])."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        forum = self.context.get("forum")  # none when drawing the schema
        self.fields["meeting"].selector = lambda request: selectors.forum_meetings(forum=forum)


def _askable_people(request):
    return selectors.people_who_can_be_asked(council=request.council)


def _visible_people(request):
    return visible_young_people(membership=request.membership)


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


class MemberWriteSerializer(StrictSerializer):
    young_person = CouncilPrimaryKeyField(selector=_visible_people)
    role = serializers.ChoiceField(ForumMember.Role.choices, default=ForumMember.Role.MEMBER)
    board = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=120,
        help_text="For a representative: the board they sit on (the Corporate Parenting Board "
        "unless given).",
    )
    joined_on = serializers.DateField()


class MemberUpdateSerializer(StrictSerializer):
    role = serializers.ChoiceField(ForumMember.Role.choices, required=False)
    board = serializers.CharField(required=False, allow_blank=True, max_length=120)
    left_on = serializers.DateField(
        required=False, help_text="The day they left the forum (their record stays)."
    )

    def validate(self, attrs):
        if "left_on" in attrs and attrs.keys() - {"left_on"}:
            raise serializers.ValidationError(
                "Send a new role or the day they left, not both in one request."
            )
        if not attrs:
            raise serializers.ValidationError({"role": ["Send a new role, or the day they left."]})
        if "board" in attrs and "role" not in attrs:
            raise serializers.ValidationError(
                {"role": ["Send the role with the board (a board is for a representative)."]}
            )
        return attrs


class MemberList(ForumPartList):
    """Young members the person may see (the same rule as young people's records); post one to
    add a young person to the forum (as the "Add a member" page)."""

    queryset = ForumMember.objects.none()
    serializer_class = MemberSerializer
    write_capability = "forums.edit"
    ordering = "id"

    def get_queryset(self):
        return selectors.forum_members(forum=self.get_forum(), membership=self.request.membership)

    @extend_schema(
        request=MemberWriteSerializer,
        responses={201: MemberSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    def post(self, request, council_slug, forum_id):
        forum = self.get_forum()

        def create():
            serializer = MemberWriteSerializer(data=request.data, context={"request": request})
            serializer.is_valid(raise_exception=True)
            member = services.forum_member_add(
                forum=forum, actor=request.user, **serializer.validated_data
            )
            return created(MemberSerializer, member, request)

        return create_once(request, create)


class MemberDetail(CouncilDetailView):
    """One membership. PATCH `role` (and `board`) to change their role, or `left_on` to record
    that they left, as on the member's pages."""

    capability = "forums.view"
    write_capability = "forums.edit"
    serializer_class = MemberSerializer

    def get_object(self):
        return selectors.access_visible_forum_member(
            forum=_forum(self.request, self.kwargs["forum_id"]),
            membership=self.request.membership,
            pk=self.kwargs["member_id"],
        )

    @extend_schema(request=MemberUpdateSerializer, responses={200: MemberSerializer})
    def patch(self, request, council_slug, forum_id, member_id):
        member = self.get_object()
        serializer = MemberUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = serializer.validated_data
        if "left_on" in fields:
            member = services.forum_member_leave(
                member=member, actor=request.user, left_on=fields["left_on"]
            )
        else:
            member = services.forum_member_change_role(
                member=member,
                actor=request.user,
                role=fields["role"],
                board=fields.get("board", ""),
            )
        return Response(self.get_serializer(member).data)


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


class MeetingWriteSerializer(StrictSerializer):
    date = serializers.DateField()
    starts_at = serializers.TimeField(required=False, allow_null=True)
    ends_at = serializers.TimeField(required=False, allow_null=True)
    place = serializers.CharField(required=False, allow_blank=True, max_length=160)
    online = serializers.BooleanField(required=False)
    agenda = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    minutes = serializers.CharField(required=False, allow_blank=True, max_length=50000)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=20000)


class MeetingList(ForumPartList):
    """A forum's meetings, newest first; post one to record a meeting (its activity is logged
    for you, as on the forum's page)."""

    queryset = Meeting.objects.none()
    serializer_class = MeetingSerializer
    write_capability = "forums.edit"
    ordering = "-date"

    def get_queryset(self):
        return selectors.forum_meetings(forum=self.get_forum())

    @extend_schema(
        request=MeetingWriteSerializer,
        responses={201: MeetingSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    def post(self, request, council_slug, forum_id):
        forum = self.get_forum()

        def create():
            serializer = MeetingWriteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            meeting = services.meeting_create(
                forum=forum, actor=request.user, **serializer.validated_data
            )
            return created(MeetingSerializer, _with_attendance_counts(meeting), request)

        return create_once(request, create)


def _with_attendance_counts(meeting: Meeting) -> Meeting:
    counts = selectors.meeting_attendance_counts(meeting=meeting)
    meeting.present_count = counts.get("present", 0)
    meeting.recorded_count = (
        counts["present"] + counts["apologies"] + counts["absent"] - counts["visitors"]
    )
    return meeting


class AttendanceLineSerializer(serializers.Serializer):
    young_person = serializers.IntegerField()
    status = serializers.CharField(help_text='present, apologies, absent, or "" if not marked.')
    is_member = serializers.BooleanField()


def _attendance_lines(meeting) -> list[dict]:
    # Ids and marks only: names stay on the tablet-friendly page.
    return [
        {
            "young_person": line.young_person.pk,
            "status": line.status,
            "is_member": line.is_member,
        }
        for line in selectors.attendance_sheet(meeting=meeting)
    ]


class MeetingDetailSerializer(MeetingSerializer):
    attendance = serializers.SerializerMethodField()
    attendance_version = serializers.IntegerField(
        read_only=True, help_text="Send it back when recording attendance."
    )

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "attendance", "attendance_version"]
        read_only_fields = fields

    @extend_schema_field(AttendanceLineSerializer(many=True))
    def get_attendance(self, meeting):
        return _attendance_lines(meeting)


def _meeting(request, kwargs) -> Meeting:
    forum = _forum(request, kwargs["forum_id"])
    return selectors.access_meeting(forum=forum, pk=kwargs["meeting_id"])


class MeetingDetail(CouncilDetailView):
    """One meeting with its attendance; PATCH the fields to change, DELETE to delete it with
    its attendance, guests and participation activity (as the meeting's pages)."""

    capability = "forums.view"
    write_capability = "forums.edit"
    serializer_class = MeetingDetailSerializer

    def get_object(self):
        return _with_attendance_counts(_meeting(self.request, self.kwargs))

    @extend_schema(
        request=MeetingWriteSerializer(partial=True), responses={200: MeetingDetailSerializer}
    )
    def patch(self, request, council_slug, forum_id, meeting_id):
        meeting = _meeting(request, self.kwargs)
        serializer = MeetingWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.meeting_update(meeting=meeting, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, council_slug, forum_id, meeting_id):
        # As the meeting's page: its attendance, guests and participation activity go with it.
        services.meeting_delete(meeting=_meeting(request, self.kwargs), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AttendanceMarkSerializer(StrictSerializer):
    young_person = CouncilPrimaryKeyField(selector=_visible_people)
    status = serializers.ChoiceField(Attendance.Status.choices)


class AttendanceSerializer(StrictSerializer):
    version = serializers.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        help_text="The meeting's attendance_version as read: if someone saved the attendance "
        "since, nothing is saved (400) and you read it again.",
    )
    attendance = AttendanceMarkSerializer(many=True, max_length=1000)


class AttendanceSheetSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    attendance = AttendanceLineSerializer(many=True)


class MeetingAttendance(CouncilAPIView):
    """A meeting's attendance sheet: everyone expected (members on the day) and visitors. PUT
    the whole sheet to record it, all at once or not at all, as on the attendance page."""

    capability = "forums.view"
    write_capability = "forums.edit"
    serializer_class = AttendanceSheetSerializer

    def sheet(self, meeting) -> Response:
        return Response(
            {"version": meeting.attendance_version, "attendance": _attendance_lines(meeting)}
        )

    def get(self, request, council_slug, forum_id, meeting_id):
        return self.sheet(_meeting(request, self.kwargs))

    @extend_schema(request=AttendanceSerializer, responses={200: AttendanceSheetSerializer})
    def put(self, request, council_slug, forum_id, meeting_id):
        meeting = _meeting(request, self.kwargs)
        serializer = AttendanceSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        marks = serializer.validated_data["attendance"]
        statuses = {mark["young_person"].pk: mark["status"] for mark in marks}
        if len(statuses) != len(marks):
            raise exceptions.ValidationError({"attendance": ["Give each young person once."]})
        meeting = services.attendance_save(
            meeting=meeting,
            actor=request.user,
            statuses=statuses,
            version=serializer.validated_data["version"],
        )
        return self.sheet(meeting)


class VisitorSerializer(StrictSerializer):
    young_person = CouncilPrimaryKeyField(
        selector=_visible_people, help_text="A young person who came but is not a member."
    )


class VisitorLineSerializer(serializers.Serializer):
    young_person = serializers.IntegerField()
    status = serializers.CharField(help_text="Always present: a visitor is someone who came.")


def _visitors(meeting) -> list[dict]:
    return [
        {"young_person": line["young_person"], "status": line["status"]}
        for line in _attendance_lines(meeting)
        if not line["is_member"]
    ]


class MeetingVisitors(CouncilAPIView):
    """Young people who came to the meeting but are not members (they count as present). POST
    one to add them, as on the attendance page."""

    capability = "forums.view"
    write_capability = "forums.edit"
    serializer_class = VisitorLineSerializer

    @extend_schema(responses={200: VisitorLineSerializer(many=True)})
    def get(self, request, council_slug, forum_id, meeting_id):
        return Response(_visitors(_meeting(request, self.kwargs)))

    @extend_schema(
        request=VisitorSerializer,
        responses={201: VisitorLineSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    def post(self, request, council_slug, forum_id, meeting_id):
        meeting = _meeting(request, self.kwargs)

        def create():
            serializer = VisitorSerializer(data=request.data, context={"request": request})
            serializer.is_valid(raise_exception=True)
            row = services.attendance_add_visitor(
                meeting=meeting,
                actor=request.user,
                young_person=serializer.validated_data["young_person"],
            )
            line = {"young_person": row.young_person_id, "status": row.status}
            return Response(line, status=status.HTTP_201_CREATED)

        return create_once(request, create)


class MeetingVisitor(CouncilAPIView):
    """One visitor; DELETE takes them off the meeting's list (someone added by mistake)."""

    capability = "forums.view"
    write_capability = "forums.edit"
    serializer_class = VisitorLineSerializer

    def visitor(self) -> tuple[Meeting, dict]:
        meeting = _meeting(self.request, self.kwargs)
        for line in _visitors(meeting):
            if line["young_person"] == self.kwargs["young_person_id"]:
                return meeting, line
        raise exceptions.NotFound()

    def get(self, request, council_slug, forum_id, meeting_id, young_person_id):
        return Response(self.visitor()[1])

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, council_slug, forum_id, meeting_id, young_person_id):
        meeting, _ = self.visitor()
        services.attendance_remove_visitor(
            meeting=meeting, actor=request.user, young_person_id=young_person_id
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


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


class AskWriteSerializer(ForumSerializer):
    you_said = serializers.CharField(max_length=20000)
    raised_on = serializers.DateField()
    meeting = CouncilPrimaryKeyField(required=False, allow_null=True, selector=None)
    addressed_to = CouncilPrimaryKeyField(
        required=False,
        allow_null=True,
        selector=_askable_people,
        help_text="A user id: a manager, participation officer or admin of this council.",
    )
    addressed_to_role = serializers.CharField(required=False, allow_blank=True, max_length=160)
    due_on = serializers.DateField(required=False, allow_null=True)


class AskList(ForumPartList):
    """A forum's asks ("you said"), newest first; post one to record an ask."""

    queryset = Ask.objects.none()
    serializer_class = AskSerializer
    write_capability = "forums.edit"
    ordering = "-id"

    def get_queryset(self):
        return selectors.forum_asks(forum=self.get_forum())

    @extend_schema(
        request=AskWriteSerializer,
        responses={201: AskSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    def post(self, request, council_slug, forum_id):
        forum = self.get_forum()

        def create():
            serializer = AskWriteSerializer(
                data=request.data, context={"request": request, "forum": forum}
            )
            serializer.is_valid(raise_exception=True)
            ask = services.ask_create(forum=forum, actor=request.user, **serializer.validated_data)
            return created(AskSerializer, ask, request)

        return create_once(request, create)


class AskAnswerSerializer(ReadModelSerializer):
    class Meta:
        model = AskAnswer
        fields = ["id", "ask", "status", "response", "answered_by", "answered_at"]
        read_only_fields = fields


class AskAnswerWriteSerializer(StrictSerializer):
    status = serializers.ChoiceField(ASK_ANSWER_STATUS)
    response = serializers.CharField(max_length=20000)
    make_you_said = serializers.BooleanField(
        default=False, help_text="Add it to 'you said, we did' (answered or partly done only)."
    )
    publish = serializers.BooleanField(
        default=False, help_text="Publish that entry on the council's public page."
    )


class AskAnswerList(CouncilListView):
    """An ask's answers, newest first; post one to answer it (again: earlier answers stay)."""

    queryset = AskAnswer.objects.none()
    capability = "forums.view"
    # Managers answer the asks addressed to them: checked per ask below, as on the page.
    write_capability = "asks.answer"
    serializer_class = AskAnswerSerializer
    filter_backends = []
    ordering = "-id"

    def get_ask(self) -> Ask:
        forum = _forum(self.request, self.kwargs["forum_id"])
        return selectors.access_ask(forum=forum, pk=self.kwargs["ask_id"])

    def get_queryset(self):
        return selectors.ask_history(ask=self.get_ask())

    @extend_schema(
        request=AskAnswerWriteSerializer,
        responses={201: AskAnswerSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    def post(self, request, council_slug, forum_id, ask_id):
        ask = self.get_ask()
        if not selectors.can_answer_ask(membership=request.membership, ask=ask):
            raise exceptions.PermissionDenied(
                "Only an officer or the person the ask is addressed to can answer it."
            )

        def create():
            serializer = AskAnswerWriteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            answered = services.ask_answer(ask=ask, actor=request.user, **serializer.validated_data)
            answer = selectors.ask_history(ask=answered).order_by("-id").first()
            return created(AskAnswerSerializer, answer, request)

        return create_once(request, create)


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


class ConsultationWriteSerializer(StrictSerializer):
    topic = serializers.CharField(max_length=200)
    reason = serializers.CharField(max_length=20000)
    needed_by = serializers.DateField()
    format = serializers.ChoiceField(ConsultationRequest.Format.choices)


class ConsultationList(ForumPartList):
    """Requests still to decide or do (as the forum's page lists them); post one to ask to
    consult the forum (the participation officer decides)."""

    queryset = ConsultationRequest.objects.none()
    serializer_class = ConsultationSerializer
    write_capability = "consultations.request"
    pagination_class = None

    def list(self, request, *args, **kwargs):
        pending = selectors.forum_consultations(forum=self.get_forum())["pending"]
        return Response(self.get_serializer(pending, many=True).data)

    @extend_schema(
        request=ConsultationWriteSerializer,
        responses={201: ConsultationSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    def post(self, request, council_slug, forum_id):
        forum = self.get_forum()

        def create():
            serializer = ConsultationWriteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            consultation = services.consultation_request_create(
                forum=forum, actor=request.user, **serializer.validated_data
            )
            return created(ConsultationSerializer, consultation, request)

        return create_once(request, create)


class ConsultationUpdateSerializer(ForumSerializer):
    decision = serializers.ChoiceField(
        [(d, d) for d in services.DECISIONS],
        required=False,
        help_text="accept, decline or schedule.",
    )
    decline_reason = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    meeting = CouncilPrimaryKeyField(
        required=False, allow_null=True, selector=None, help_text="When scheduling."
    )
    forum_said = serializers.CharField(
        required=False,
        max_length=50000,
        help_text="What the forum said, once accepted or scheduled: sent to the person who asked.",
    )

    def validate(self, attrs):
        if "forum_said" in attrs and attrs.keys() - {"forum_said"}:
            raise serializers.ValidationError(
                "Send a decision or what the forum said, not both in one request."
            )
        if not attrs:
            raise serializers.ValidationError(
                {"decision": ["Send a decision, or what the forum said."]}
            )
        if "forum_said" not in attrs and "decision" not in attrs:
            raise serializers.ValidationError(
                {"decision": ["Choose accept, decline or schedule into a meeting."]}
            )
        return attrs


class ConsultationDetail(CouncilDetailView):
    """One request to consult the forum, for officers and the person who asked. PATCH a
    decision (`decision`, with `decline_reason` or `meeting`) or, later, what the forum said
    (`forum_said`), as on the request's pages; the person who asked is told."""

    capability = "consultations.request"
    write_capability = "forums.edit"
    serializer_class = ConsultationSerializer

    def get_object(self):
        forum = _forum(self.request, self.kwargs["forum_id"])
        consultation = selectors.access_consultation(forum=forum, pk=self.kwargs["consultation_id"])
        if not selectors.can_see_consultation(
            membership=self.request.membership, request=consultation
        ):
            raise exceptions.PermissionDenied("Only officers and the person who asked see this.")
        return consultation

    @extend_schema(request=ConsultationUpdateSerializer, responses={200: ConsultationSerializer})
    def patch(self, request, council_slug, forum_id, consultation_id):
        consultation = self.get_object()
        serializer = ConsultationUpdateSerializer(
            data=request.data, context={"request": request, "forum": consultation.forum}
        )
        serializer.is_valid(raise_exception=True)
        fields = serializer.validated_data
        if "forum_said" in fields:
            consultation = services.consultation_record_outcome(
                request=consultation, actor=request.user, forum_said=fields["forum_said"]
            )
        else:
            consultation = services.consultation_decide(
                request=consultation,
                actor=request.user,
                decision=fields["decision"],
                decline_reason=fields.get("decline_reason", ""),
                meeting=fields.get("meeting"),
            )
        return Response(self.get_serializer(consultation).data)
