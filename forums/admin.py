from django.contrib import admin

from forums.models import Forum


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ["name", "council", "audience", "meets", "is_archived"]
    list_filter = ["council", "audience"]
