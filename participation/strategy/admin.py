from django.contrib import admin

from participation.strategy.models import (
    Action,
    Indicator,
    IndicatorValue,
    Objective,
    StatusUpdate,
    Strategy,
)


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ("title", "council", "state", "period_start", "period_end")
    list_filter = ("council", "state")


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "strategy", "council")
    list_filter = ("council",)


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ("title", "objective", "status", "due_date", "council")
    list_filter = ("council", "status")
    raw_id_fields = ("objective", "owner")


@admin.register(StatusUpdate)
class StatusUpdateAdmin(admin.ModelAdmin):
    # The history is kept forever: read-only here.
    list_display = ("action", "status", "at", "council")
    list_filter = ("council",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(Indicator)
admin.site.register(IndicatorValue)
