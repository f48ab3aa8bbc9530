from django.contrib import admin

from participation.activities.models import ActivityKind, ServiceArea
from participation.admin import ReadOnlyTenantAdmin


# Platform staff can look at a council's lists here (the council's officers change them in the
# app); activities and young people stay out of the Django admin so personal data is only seen
# through the council's own pages and roles.
@admin.register(ActivityKind)
class ActivityKindAdmin(ReadOnlyTenantAdmin, admin.ModelAdmin):
    list_display = ["name", "council", "usual_type", "is_active", "position"]
    list_filter = ["council", "is_active"]


@admin.register(ServiceArea)
class ServiceAreaAdmin(ReadOnlyTenantAdmin, admin.ModelAdmin):
    list_display = ["name", "council", "is_active", "position"]
    list_filter = ["council", "is_active"]
