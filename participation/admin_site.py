"""The Django admin, for platform staff: the one set of pages that reads every council.

Each admin page runs under `rls.all_councils` (participation/rls.py), explicitly and logged, and
only for active staff; the login page and anyone else get no council at all.
"""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from participation import rls


class PlatformAdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not (user.is_active and user.is_staff):
                return inner(request, *args, **kwargs)
            with rls.all_councils("platform staff in the Django admin"):
                return rls.finish_in_scope(inner(request, *args, **kwargs), None)

        return wrapper


class PlatformAdminConfig(AdminConfig):
    default_site = "participation.admin_site.PlatformAdminSite"
