"""The dashboards' figures, read-only, from the pages' selectors with the pages' suppression."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from api.base import CouncilAPIView
from participation.activities import selectors as activity_selectors
from participation.quarters import current_quarter
from participation.strategy import selectors as strategy_selectors
from participation.strategy.models import Status
from participation.strategy.selectors import ActionFilters

QUARTERS = 4


class ActionStatusCounts(CouncilAPIView):
    """How many live actions show each status today, as the managers' dashboard counts them."""

    capability = "strategy.view"

    @extend_schema(
        responses=inline_serializer(
            "ActionStatusCounts",
            {
                "total": serializers.IntegerField(),
                "by_status": inline_serializer(
                    "ActionStatusCountsByStatus",
                    {status: serializers.IntegerField() for status in Status.values},
                ),
            },
        )
    )
    def get(self, request, council_slug):
        figures = strategy_selectors.dashboard(
            council=request.council, filters=ActionFilters(), today=timezone.localdate()
        )
        return Response({"total": figures["total"], "by_status": figures["totals"]})


class ActivityCountsByQuarter(CouncilAPIView):
    """Done activities per quarter (counts of activities, which identify nobody) and named
    participation per quarter (counts of children: under 5 is shown as "fewer than 5")."""

    capability = "reach.view"

    @extend_schema(
        responses=inline_serializer(
            "ActivityCountsByQuarter",
            {
                "quarters": inline_serializer(
                    "QuarterFigures",
                    {
                        "quarter_start": serializers.DateField(),
                        "quarter_end": serializers.DateField(),
                        "label": serializers.CharField(),
                        "activities": serializers.IntegerField(),
                        "times_taken_part": serializers.CharField(
                            help_text='A number, or "fewer than 5".'
                        ),
                        "young_people_reached": serializers.CharField(
                            help_text='A number, or "fewer than 5".'
                        ),
                    },
                    many=True,
                )
            },
        )
    )
    def get(self, request, council_slug):
        council = request.council
        reach = activity_selectors.participation_by_quarter(council=council, quarters=QUARTERS)
        rows = []
        for figures in reach:
            quarter = figures.quarter
            breakdown = activity_selectors.activity_breakdown(
                council=council, start=quarter.start, end=quarter.end
            )
            rows.append(
                {
                    "quarter_start": quarter.start,
                    "quarter_end": quarter.end,
                    "label": quarter.short_label,
                    "activities": breakdown.total,
                    "times_taken_part": activity_selectors.suppress(figures.total),
                    "young_people_reached": activity_selectors.suppress(figures.unique),
                }
            )
        return Response({"quarters": rows})


class ReachThisQuarter(CouncilAPIView):
    """The reach page's figures for the current quarter, suppressed as the page shows them."""

    capability = "reach.view"

    @extend_schema(
        responses=inline_serializer(
            "Reach",
            {
                "quarter_start": serializers.DateField(),
                "young_people_reached": serializers.CharField(),
                "times_taken_part": serializers.CharField(),
                "by_cohort": inline_serializer(
                    "ReachRow",
                    {"label": serializers.CharField(), "shown": serializers.CharField()},
                    many=True,
                ),
                "by_age_band": inline_serializer(
                    "ReachRowAge",
                    {"label": serializers.CharField(), "shown": serializers.CharField()},
                    many=True,
                ),
            },
        )
    )
    def get(self, request, council_slug):
        quarter = current_quarter(council=request.council, today=timezone.localdate())
        reach = activity_selectors.reach(council=request.council, quarter=quarter)

        def rows(items):
            return [{"label": str(row.label), "shown": row.shown} for row in items]

        return Response(
            {
                "quarter_start": quarter.start,
                "young_people_reached": reach.unique_shown,
                "times_taken_part": reach.total_shown,
                "by_cohort": rows(reach.by_cohort),
                "by_age_band": rows(reach.by_age_band),
            }
        )
