"""Quarterly report runs: list, request a draft, download a finished PDF."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers

from api.base import CouncilAPIView
from api.errors import django_validation_detail
from api.resources.common import IDEMPOTENCY_PARAMETER, CouncilListView, create_once, created
from api.serializers import ReadModelSerializer, StrictSerializer
from reporting import selectors, services
from reporting.models import ReportRun


class ReportRunSerializer(ReadModelSerializer):
    ready = serializers.BooleanField(source="is_ready", read_only=True)

    class Meta:
        model = ReportRun
        fields = [
            "id",
            "quarter_start",
            "quarter_end",
            "audience",
            "version",
            "state",
            "status",
            "progress",
            "ready",
            "size",
            "checksum",
            "finalised_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ReportRequestSerializer(StrictSerializer):
    quarter_start = serializers.DateField(help_text="The first day of one of the last quarters.")
    audience = serializers.ChoiceField(ReportRun.Audience.choices)


class ReportRunList(CouncilListView):
    """The council's reports; post one to start a draft (or get the one being written)."""

    queryset = ReportRun.objects.none()
    capability = "reports.view"
    write_capability = "reports.write"
    serializer_class = ReportRunSerializer
    filter_backends = []
    ordering = "-id"

    def get_queryset(self):
        return selectors.run_list(council=self.request.council)

    @extend_schema(
        request=ReportRequestSerializer,
        responses={201: ReportRunSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    def post(self, request, council_slug):
        def create():
            serializer = ReportRequestSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            try:
                run = services.report_create_draft(
                    council=request.council, actor=request.user, **serializer.validated_data
                )
            except ValidationError as error:
                # The page's field is "quarter"; here it is "quarter_start".
                detail = django_validation_detail(error)
                if isinstance(detail, dict) and "quarter" in detail:
                    detail["quarter_start"] = detail.pop("quarter")
                raise exceptions.ValidationError(detail) from None
            return created(ReportRunSerializer, run, request)

        return create_once(request, create)


class ReportDownload(CouncilAPIView):
    """The finished PDF. 404 until it is ready."""

    capability = "reports.view"

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF.")
        }
    )
    def get(self, request, council_slug, run_id):
        run = selectors.access_run_file(membership=request.membership, pk=run_id)
        # Read whole inside the view (reports are a few MB at most): nothing streams from
        # storage after the council's scope has closed.
        with run.file.open("rb") as handle:
            data = handle.read()
        response = HttpResponse(data, content_type="application/pdf")
        filename = run.file.name.rsplit("/", 1)[-1]
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
