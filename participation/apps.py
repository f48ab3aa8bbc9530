from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = "Councils and people"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out
        from django.core.checks import register

        from participation import checks, sessions

        register(checks.in_process_mode, deploy=False)

        user_logged_in.connect(sessions._on_signed_in, dispatch_uid="heard-session-started")
        user_logged_out.connect(sessions._on_signed_out, dispatch_uid="heard-sessions-ended")
