from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from feedback import public_views as feedback_public
from forums import api as forum_api
from forums import views as forum_views
from participation import forms, health, views

admin.site.site_header = "Heard platform administration"

# JSON for other systems, under /c/<slug>/api/; session authentication, the same roles as pages.
api_patterns = [
    path("forums/", forum_api.ForumListAPI.as_view(), name="forum_api_list"),
    path("forums/<int:forum_id>/", forum_api.ForumDetailAPI.as_view(), name="forum_api_detail"),
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
    path("settings/", views.council_settings, name="council_settings"),
    path("forums/", include("forums.urls")),
    path("strategy/", include("participation.strategy.urls")),
    path("api/", include(api_patterns)),
    path("", include("participation.activities.urls")),
    path("feedback/", include("feedback.urls")),
    path("reports/", include("reporting.urls")),
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
        views.PasswordChangeView.as_view(),
        name="password_change",
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
    path("admin/", admin.site.urls),
]

# Council logos are the only public uploads; the app serves them so a deployment needs no separate
# file server. Anything uploaded later that is not public must be served behind a permission check.
urlpatterns.append(path("media/council-logos/<path:path>", views.council_logo, name="council_logo"))

handler404 = "participation.errors.not_found"
handler403 = "participation.errors.forbidden"
handler500 = "participation.errors.server_error"
