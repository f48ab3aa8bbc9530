from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django.views.static import serve

from participation import rls, security, selectors, services, sessions
from participation.audit import record_security_event
from participation.forms import (
    AcceptInvitationForm,
    CouncilSettingsForm,
    InviteForm,
    MembershipRoleForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    apply_errors,
    posted,
    search_param,
)
from participation.models import Invitation, Membership, SecurityEvent, User
from participation.tenancy import council_view, membership_for, signed_in_view


@signed_in_view
def home(request):
    """Send a signed-in person to their council, or let them choose one."""
    councils = list(selectors.councils_for_user(user=request.user))
    last = request.session.get("council_slug")
    if last and any(c.slug == last for c in councils):
        return redirect("council_home", council_slug=last)
    if len(councils) == 1:
        return redirect("council_home", council_slug=councils[0].slug)
    return render(request, "participation/councils.html", {"councils": councils})


@signed_in_view
def council_list(request):
    councils = selectors.councils_for_user(user=request.user)
    return render(request, "participation/councils.html", {"councils": councils})


@signed_in_view
def council_switch(request):
    slug = request.GET.get("council", "")
    if membership_for(user=request.user, council_slug=slug) is None:
        raise Http404("No such council.")
    request.session["council_slug"] = slug
    return redirect("council_home", council_slug=slug)


@council_view()
def council_home(request):
    from feedback.selectors import alert_counts, can_see_alerts
    from forums.selectors import forum_summary

    context = {"forums": forum_summary(council=request.council)}
    if request.membership.can("asks.answer"):
        from forums.selectors import asks_for

        context["my_asks"] = list(asks_for(membership=request.membership, waiting=True)[:10])
    if request.membership.can("consultations.request"):
        from forums.selectors import consultations_requested_by

        context["my_consultations"] = list(
            consultations_requested_by(membership=request.membership)[:5]
        )
    if can_see_alerts(request.membership):
        context["alerts"] = alert_counts(council=request.council)
    if request.membership.can("people.manage"):
        context["pending_invitations"] = selectors.pending_invitations(council=request.council)
        context["member_count"] = selectors.membership_list(
            council=request.council, status="active"
        ).count()
        context["audit_events"] = selectors.recent_audit_events(council=request.council)
    return render(request, "participation/council_home.html", context)


@council_view("people.manage")
def people(request):
    search = search_param(request)
    role = request.GET.get("role", "")
    role = role if role in Membership.Role.values else ""
    status = request.GET.get("status", "")
    status = status if status in {"active", "inactive"} else ""
    page = selectors.paginate(
        selectors.membership_list(council=request.council, search=search, role=role, status=status),
        page=request.GET.get("page"),
    )
    return render(
        request,
        "participation/people.html",
        {
            "page": page,
            "search": search,
            "role": role,
            "status": status,
            "roles": Membership.Role.choices,
            "invitations": selectors.pending_invitations(council=request.council),
            "filtered": bool(search or role or status),
        },
    )


@council_view("people.manage")
@require_http_methods(["GET", "POST"])
def invite(request):
    form = InviteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                council=request.council, invited_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("people", council_slug=request.council.slug)
    return render(request, "participation/invite.html", {"form": form})


@council_view("people.manage")
@require_http_methods(["GET", "POST"])
def membership_edit(request, membership_id):
    membership = selectors.access_membership(council=request.council, pk=membership_id)
    form = MembershipRoleForm(posted(request), initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_change_role(
                membership=membership, actor=request.user, role=form.cleaned_data["role"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, f"{membership.user} is now a {membership.get_role_display()}."
            )
            return redirect("people", council_slug=request.council.slug)
    return render(
        request, "participation/membership_edit.html", {"form": form, "membership": membership}
    )


@council_view("people.manage")
@require_http_methods(["GET", "POST"])
def membership_set_active(request, membership_id, active):
    membership = selectors.access_membership(council=request.council, pk=membership_id)
    people_url = reverse("people", args=[request.council.slug])
    error = None
    if request.method == "POST":
        try:
            services.membership_set_active(membership=membership, actor=request.user, active=active)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            verb = "reactivated" if active else "deactivated"
            messages.success(request, f"{membership.user} has been {verb}.")
            return redirect(people_url)
    title = f"{'Reactivate' if active else 'Deactivate'} {membership.user}?"
    return render(
        request,
        "participation/confirm.html",
        {
            "title": title,
            "error": error,
            "explanation": (
                "They will be able to sign in to this council again with their current role."
                if active
                else "They will no longer be able to see this council. Their records stay, and "
                "you can reactivate them later."
            ),
            "button": "Reactivate" if active else "Deactivate",
            "warning": not active,
            "cancel_url": people_url,
        },
    )


@council_view("people.manage")
@require_http_methods(["GET", "POST"])
def invitation_revoke(request, invitation_id):
    invitation = selectors.access_invitation(council=request.council, pk=invitation_id)
    people_url = reverse("people", args=[request.council.slug])
    error = None
    if request.method == "POST":
        try:
            services.invitation_revoke(invitation=invitation, actor=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"The invitation to {invitation.email} no longer works.")
            return redirect(people_url)
    return render(
        request,
        "participation/confirm.html",
        {
            "title": f"Cancel the invitation to {invitation.email}?",
            "error": error,
            "explanation": "The link we emailed will stop working. You can invite them again.",
            "button": "Cancel invitation",
            "warning": True,
            "cancel_url": people_url,
        },
    )


@council_view("council.settings")
@require_http_methods(["GET", "POST"])
def council_settings(request):
    council = request.council
    form = CouncilSettingsForm(posted(request), posted(request, files=True), instance=council)
    if request.method == "POST" and form.is_valid():
        try:
            services.council_update_settings(
                council=council,
                actor=request.user,
                name=form.cleaned_data["name"],
                brand_colour=form.cleaned_data["brand_colour"],
                year_starts=form.cleaned_data["year_starts"],
                logo=request.FILES.get("logo"),
                clear_logo=form.cleaned_data["clear_logo"],
                two_factor_for_everyone=form.cleaned_data["two_factor_for_everyone"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Council settings saved.")
            return redirect("council_settings", council_slug=council.slug)
    return render(request, "participation/council_settings.html", {"form": form})


def council_logo(request, path):
    """The current logo of an active council, and nothing else from the upload folder: not a
    replaced logo, not a deactivated council's."""
    if not selectors.logo_is_public(name=f"council-logos/{path}"):
        raise Http404("No such logo.")
    return serve(request, path, document_root=Path(settings.MEDIA_ROOT) / "council-logos")


@require_http_methods(["GET", "POST"])
@rls.scoped_by_token(Invitation)
def invitation_accept(request, token):
    invitation = selectors.invitation_by_token(token=token)
    if invitation is None or not invitation.council.is_active:
        raise Http404("No such invitation.")
    if not invitation.is_pending:
        return render(request, "participation/invitation_expired.html", status=410)
    user = request.user if request.user.is_authenticated else None
    form = None if user else AcceptInvitationForm(posted(request), email=invitation.email)
    error = None
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form else {}
        try:
            membership = services.invitation_accept(
                invitation=invitation,
                user=user,
                full_name=data.get("full_name", ""),
                password=data.get("password1", ""),
            )
        except ValidationError as exc:
            if form is not None:
                apply_errors(form, exc)
            else:
                error = " ".join(exc.messages)
        else:
            if user is None:
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to {invitation.council.name}.")
            return redirect("council_home", council_slug=invitation.council.slug)
    return render(
        request,
        "participation/invitation_accept.html",
        {"invitation": invitation, "form": form, "error": error},
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, with a limit on how many emails one address or one email can ask for
    (so the form cannot be used to flood someone's inbox or to probe many accounts)."""

    form_class = PasswordResetForm

    @property
    def extra_email_context(self):
        # The link is built from SITE_URL, not from the Host header of the request that asked.
        return {"site_url": settings.SITE_URL}

    def form_valid(self, form):
        if security.password_reset_throttled(self.request, form.cleaned_data["email"]):
            form.add_error(
                None,
                "You have asked for too many password reset emails. "
                "Wait an hour and try again, or ask your council admin for help.",
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        email = form.cleaned_data["email"]
        record_security_event(
            SecurityEvent.Kind.PASSWORD_RESET_REQUESTED,
            user=User.objects.filter(email__iexact=email.strip()).first(),
            request=self.request,
            email=email,
        )
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing the password keeps this session and ends the person's others."""

    form_class = PasswordChangeForm

    def form_valid(self, form):
        response = super().form_valid(form)
        sessions.password_changed(request=self.request, user=form.user)
        record_security_event(
            SecurityEvent.Kind.PASSWORD_CHANGED, user=form.user, request=self.request
        )
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A reset password ends every session the person had: whoever knew the old one is out."""

    form_class = SetPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        sessions.end_sessions(user=form.user)
        record_security_event(
            SecurityEvent.Kind.PASSWORD_RESET, user=form.user, request=self.request
        )
        return response
