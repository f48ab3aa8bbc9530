import logging

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings

from participation import rls, services

logger = logging.getLogger(__name__)

# What a mail server or a lost connection raises (smtplib's errors are OSErrors): worth trying
# again later. Anything else is a bug and fails loudly.
SEND_ERRORS = (OSError,)

# For tasks whose email must arrive. acks_late: the message is acknowledged only once the task
# has finished, so a worker killed mid-send leaves it on the broker for another worker;
# reject_on_worker_lost: a worker process that dies hands the message back instead of failing it.
# No max_retries: the task never gives up on its own (the alert shows "not yet sent" meanwhile).
EMAIL_TASK = {"bind": True, "acks_late": True, "reject_on_worker_lost": True, "max_retries": None}


def retry_email_later(task, error: Exception):
    """Schedule the task again with exponential backoff and full jitter, capped.

    In the in-process mode (demo and tests) there is no worker to come back later, and Celery's
    eager retry would loop at once: the failure is logged (by kind, never the server's text,
    which can hold addresses) and left to the next run of the job that re-sends."""
    if task.request.is_eager:
        logger.warning("%s: email not sent (%s)", task.name, type(error).__name__)
        return None
    countdown = get_exponential_backoff_interval(
        factor=settings.EMAIL_RETRY_BACKOFF_SECONDS,
        retries=task.request.retries,
        maximum=settings.EMAIL_RETRY_BACKOFF_MAX_SECONDS,
        full_jitter=True,
    )
    logger.warning(
        "%s: email not sent (%s), try %s again in %ss",
        task.name,
        type(error).__name__,
        task.request.retries + 1,
        countdown,
    )
    raise task.retry(exc=error, countdown=countdown)


@shared_task(**EMAIL_TASK)
def send_invitation_email(self, invitation_id: int, council_id: int | None = None) -> bool:
    """Takes ids, never an address, so no personal data sits in the broker. Sends at most once,
    however often the message is delivered."""
    from participation.models import Invitation

    if council_id is None:  # a message queued before tasks carried the council
        council_id = rls.council_of_record(Invitation, invitation_id)
        if council_id is None:
            return False
    try:
        with rls.council_scope(council_id):
            return services.invitation_send_email(
                invitation_id=invitation_id, council_id=council_id
            )
    except SEND_ERRORS as error:
        retry_email_later(self, error)
        return False
