"""Platform staff create councils here and invite each council's first admin.

Day-to-day user management belongs to council admins inside the app, scoped to their council.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.urls import reverse

from participation import rls, services, two_factor
from participation.admin_site import PlatformAdminSite
from participation.images import reencode_logo
from participation.models import AuditEvent, Council, Invitation, Membership, User


class HeardAdminSite(PlatformAdminSite):
    """The admin for platform staff who have also given the second sign-in step (and, from
    PlatformAdminSite, whose pages run under the one logged path across councils).

    Signing in happens on Heard's own page (with the lockout and the second step); the admin's
    own sign-in form would accept a password alone, so it is never shown to someone signed out.
    """

    def has_permission(self, request):
        return super().has_permission(request) and two_factor.is_verified(request)

    def login(self, request, extra_context=None):
        next_url = request.GET.get("next") or reverse("admin:index")
        if not request.user.is_authenticated:
            return redirect_to_login(next_url)
        if not two_factor.is_verified(request):
            # Staff always need the second step; the code page sends them to set it up if new.
            return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': next_url})}")
        return super().login(request, extra_context)


admin.site.__class__ = HeardAdminSite


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
    actions = ["export_data"]

    @admin.action(description="Export the council's data (every table and file, as a ZIP)")
    def export_data(self, request, queryset):
        from django.http import HttpResponse

        from lifecycle.council_archive import export_council

        if queryset.count() != 1:
            self.message_user(request, "Choose one council to export.", level="error")
            return None
        council = queryset.get()
        data = export_council(council=council)
        # The entry belongs to the council: written in its scope, like every council's writes.
        with rls.council_scope(council):
            services.audit(
                council=council, actor=request.user, verb="exported council data", subject=council
            )
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="heard-{council.slug}.zip"'
        response["Cache-Control"] = "no-store"
        return response

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
