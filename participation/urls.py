from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponsePermanentRedirect
from django.urls import include, path, reverse

from api import urls as api_urls
from feedback import public_views as feedback_public
from forums import views as forum_views
from lifecycle import views as lifecycle_views
from participation import forms, health, two_factor_views, views
from participation.audit import views as audit_views
from participation.tenancy import signed_in_view

admin.site.site_header = "Heard platform administration"
# Platform staff reach the admin only after the second sign-in step (participation/admin.py).


def _moved_to(name):
    """The first JSON endpoints lived under /c/<slug>/api/; they moved to /api/v1/c/<slug>/.
    308 keeps the method and body; the query string goes along. Unnamed on purpose: the
    council-page walks test the new routes, not these."""

    def redirect(request, **kwargs):
        url = reverse(name, kwargs=kwargs)
        if request.META.get("QUERY_STRING"):
            url += "?" + request.META["QUERY_STRING"]
        return HttpResponsePermanentRedirect(url, preserve_request=True)

    return redirect


api_moved = [
    path("forums/", _moved_to("api_forum_list")),
    path("forums/<int:forum_id>/", _moved_to("api_forum_detail")),
]

council_patterns = [
    path("", views.council_home, name="council_home"),
    path("people/", views.people, name="people"),
    path("people/invite/", views.invite, name="invite"),
    path("people/<int:membership_id>/", views.membership_edit, name="membership_edit"),
    path(
        "people/<int:membership_id>/deactivate/",
        views.membership_set_active,
        {"active": False},
        name="membership_deactivate",
    ),
    path(
        "people/<int:membership_id>/reactivate/",
        views.membership_set_active,
        {"active": True},
        name="membership_reactivate",
    ),
    path(
        "people/invitations/<int:invitation_id>/cancel/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "people/<int:membership_id>/two-factor-reset/",
        two_factor_views.membership_reset,
        name="membership_two_factor_reset",
    ),
    path("settings/", views.council_settings, name="council_settings"),
    path("settings/audit/", audit_views.audit_trail, name="audit_trail"),
    path("settings/audit/export.csv", audit_views.audit_trail_export, name="audit_trail_export"),
    path("forums/", include("forums.urls")),
    path("strategy/", include("participation.strategy.urls")),
    path("api/", include(api_moved)),
    path("", include(api_urls.token_pages)),
    path("", include("participation.activities.urls")),
    path("feedback/", include("feedback.urls")),
    path("reports/", include("reporting.urls")),
    path("", include("lifecycle.urls")),
    path("privacy/", lifecycle_views.privacy_notice, name="privacy_notice"),
    path("you-said-we-did/", feedback_public.you_said_we_did, name="you_said_we_did_public"),
]

account_patterns = [
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            authentication_form=forms.LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        signed_in_view(views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path("two-factor/", two_factor_views.overview, name="two_factor"),
    path("two-factor/set-up/", two_factor_views.setup, name="two_factor_setup"),
    path("two-factor/code/", two_factor_views.verify, name="two_factor_verify"),
    path(
        "two-factor/recovery-codes/",
        two_factor_views.recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", health.health, name="health"),
    path("account/", include(account_patterns)),
    path("councils/", views.council_list, name="council_list"),
    path("councils/switch/", views.council_switch, name="council_switch"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("f/<str:token>/", feedback_public.public_form, name="public_form"),
    path(
        "calendar/<str:token>.ics",
        forum_views.forum_calendar_feed,
        name="forum_calendar_feed",
    ),
    path("c/<slug:council_slug>/", include(council_patterns)),
    path("", include("api.urls")),
    path("admin/", admin.site.urls),
]

# Council logos are the only public uploads; the app serves them so a deployment needs no separate
# file server. Anything uploaded later that is not public must be served behind a permission check.
urlpatterns.append(path("media/council-logos/<path:path>", views.council_logo, name="council_logo"))

handler404 = "participation.errors.not_found"
handler403 = "participation.errors.forbidden"
handler500 = "participation.errors.server_error"
