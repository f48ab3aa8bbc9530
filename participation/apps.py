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

        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_login_failed
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from participation.audit import capture, context, events

        user_logged_in.connect(events.on_signed_in, dispatch_uid="heard-audit-signed-in")
        user_logged_out.connect(events.on_signed_out, dispatch_uid="heard-audit-signed-out")
        user_login_failed.connect(events.on_sign_in_failed, dispatch_uid="heard-audit-failed")
        user_locked_out.connect(events.on_locked_out, dispatch_uid="heard-audit-locked-out")
        connection_created.connect(context.install_on_connection, dispatch_uid="heard-audit-conn")
        # After every migrate: new council tables get the capture trigger without a migration.
        post_migrate.connect(capture.on_post_migrate, sender=self, dispatch_uid="heard-audit-db")
        context.connect_celery()
