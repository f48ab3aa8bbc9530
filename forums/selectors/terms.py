from datetime import date

from django.db.models import F, OuterRef, Subquery

from forums.models import Forum
from participation.models import Council

# Terms of reference -------------------------------------------------------------------------


def terms_of_reference_versions(*, forum: Forum):
    from forums.models import TermsOfReference

    return TermsOfReference.objects.filter(council=forum.council_id, forum=forum).order_by(
        "-version"
    )


def terms_of_reference_overdue(*, council: Council, today: date):
    """Each forum's current version whose review date has passed (latest version only)."""
    from forums.models import TermsOfReference

    latest = (
        TermsOfReference.objects.filter(council=OuterRef("council"), forum=OuterRef("forum"))
        .order_by("-version")
        .values("version")[:1]
    )
    return (
        TermsOfReference.objects.filter(
            council=council, review_on__lt=today, forum__is_archived=False
        )
        .annotate(latest=Subquery(latest))
        .filter(version=F("latest"))
    )
