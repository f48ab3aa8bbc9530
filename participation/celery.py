import os

from celery import Celery, Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participation.settings")


class HeardTask(Task):
    """A task starts with no council, as it does in a worker: one run in-process inside a request
    or a test must not inherit the caller's database scope (participation/rls.py). Tasks open the
    council's scope themselves, from the council id they are given."""

    def __call__(self, *args, **kwargs):
        from django.db import connection

        if connection.vendor == "postgresql" and connection.in_atomic_block:
            from participation import rls

            with rls.no_council():
                return super().__call__(*args, **kwargs)
        return super().__call__(*args, **kwargs)


app = Celery("heard", task_cls=HeardTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
