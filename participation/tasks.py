from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from participation import rls
from participation.models import Invitation


@shared_task
def send_invitation_email(invitation_id: int, council_id: int) -> None:
    """Takes ids, never an address, so no personal data sits in the broker."""
    with rls.council_scope(council_id):
        invitation = (
            Invitation.objects.select_related("council", "invited_by")
            .filter(council=council_id, pk=invitation_id)
            .first()
        )
    if invitation is None or not invitation.is_pending:
        return
    context = {
        "invitation": invitation,
        "link": settings.SITE_URL + reverse("invitation_accept", args=[invitation.token]),
    }
    send_mail(
        subject=f"You have been invited to {invitation.council.name} on Heard",
        message=render_to_string("participation/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.email],
    )
