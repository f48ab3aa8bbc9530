from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    # Children's data through its whole life: retention, erasure, subject access, privacy
    # notice (issue 12).
    name = "lifecycle"
    verbose_name = "Data retention and subject access"
