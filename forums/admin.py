from django.contrib import admin

from forums.models import Forum
from participation.admin import ReadOnlyTenantAdmin


@admin.register(Forum)
class ForumAdmin(ReadOnlyTenantAdmin, admin.ModelAdmin):
    list_display = ["name", "council", "audience", "meets", "is_archived"]
    list_filter = ["council", "audience"]
