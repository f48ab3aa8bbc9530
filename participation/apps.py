from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = "Councils and people"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out
        from django.core.checks import register
        from django.db.models.signals import post_migrate

        from participation import checks, rls, sessions

        register(checks.in_process_mode, deploy=False)
        register(checks.row_level_security, "database")
        # After every migrate, whichever app it migrated: every table with a council_id gets
        # row-level security (participation/rls.py). Sent once per app; run once, for this one.
        post_migrate.connect(rls.on_post_migrate, sender=self, dispatch_uid="heard-secure-schema")

        user_logged_in.connect(sessions._on_signed_in, dispatch_uid="heard-session-started")
        user_logged_out.connect(sessions._on_signed_out, dispatch_uid="heard-sessions-ended")
