from django.contrib import admin

from participation.admin import ReadOnlyTenantAdmin
from participation.strategy.models import (
    Action,
    Indicator,
    IndicatorValue,
    Objective,
    StatusUpdate,
    Strategy,
)


@admin.register(Strategy)
class StrategyAdmin(ReadOnlyTenantAdmin, admin.ModelAdmin):
    list_display = ("title", "council", "state", "period_start", "period_end")
    list_filter = ("council", "state")


@admin.register(Objective)
class ObjectiveAdmin(ReadOnlyTenantAdmin, admin.ModelAdmin):
    list_display = ("code", "title", "strategy", "council")
    list_filter = ("council",)


@admin.register(Action)
class ActionAdmin(ReadOnlyTenantAdmin, admin.ModelAdmin):
    list_display = ("title", "objective", "status", "due_date", "council")
    list_filter = ("council", "status")
    raw_id_fields = ("objective", "owner")


@admin.register(StatusUpdate)
class StatusUpdateAdmin(ReadOnlyTenantAdmin, admin.ModelAdmin):
    # The history is kept forever.
    list_display = ("action", "status", "at", "council")
    list_filter = ("council",)


@admin.register(Indicator, IndicatorValue)
class StrategyTableAdmin(ReadOnlyTenantAdmin, admin.ModelAdmin):
    list_filter = ("council",)
