"""Platform staff create councils here and invite each council's first admin.

Day-to-day user management belongs to council admins inside the app, scoped to their council.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet

from participation import services
from participation.images import reencode_logo
from participation.models import AuditEvent, Council, Invitation, Membership, User


class ReadOnlyTenantAdmin:
    """For a council's own tables: platform staff may look, never write.

    Writes go through the app and its services, which check the council, the role and the rules,
    and record the audit trail; the Django admin would bypass all of that.
    """

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "full_name", "password")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"fields": ("email", "full_name", "password1", "password2")}),)


class MembershipFormSet(BaseInlineFormSet):
    @classmethod
    def get_default_prefix(cls):
        # Tenant foreign keys hide their reverse name ("+"), which leaves the admin no prefix.
        return "memberships"


class MembershipInline(ReadOnlyTenantAdmin, admin.TabularInline):
    # A council's first admin comes in by invitation (below); memberships follow from accepting.
    model = Membership
    formset = MembershipFormSet
    extra = 0
    raw_id_fields = ["user"]


class CouncilAdminForm(forms.ModelForm):
    class Meta:
        model = Council
        fields = ["name", "slug", "brand_colour", "logo", "is_active", "year_starts"]

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo or not hasattr(logo, "content_type"):  # unchanged or cleared
            return logo
        try:
            return reencode_logo(logo)
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["logo"]) from error


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    form = CouncilAdminForm
    list_display = ["name", "slug", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        # Through the service, so the council starts with its standard lists.
        created = services.council_create(
            actor=request.user,
            name=obj.name,
            slug=obj.slug,
            brand_colour=obj.brand_colour,
            year_starts=obj.year_starts,
            is_active=obj.is_active,
            logo=obj.logo or None,
        )
        obj.pk = created.pk
        obj.created_at = created.created_at
        obj._state.adding = False


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyTenantAdmin, admin.ModelAdmin):
    """The one write platform staff make in a council: inviting its first admin."""

    list_display = ["email", "council", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["council", "role"]
    fields = ["council", "email", "role"]

    def has_add_permission(self, request, *args):
        return admin.ModelAdmin.has_add_permission(self, request)

    def save_model(self, request, obj, form, change):
        if change:
            raise PermissionDenied("Invitations are changed in the council's own pages.")
        # Go through the service so the email is sent and the event is audited.
        created = services.invitation_create(
            council=obj.council, invited_by=request.user, email=obj.email, role=obj.role
        )
        obj.pk = created.pk


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyTenantAdmin, admin.ModelAdmin):
    list_display = ["at", "council", "actor", "verb", "subject_type", "subject_id"]
    list_filter = ["council"]
