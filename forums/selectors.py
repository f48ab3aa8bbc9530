from django.db.models import Count, Q, QuerySet

from forums.models import Forum
from participation.models import Council
from participation.tenancy import get_for_council


def forum_list(
    *, council: Council, search: str = "", audience: str = "", archived: bool = False
) -> QuerySet[Forum]:
    qs = Forum.objects.filter(council=council, is_archived=archived)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(purpose__icontains=search))
    if audience:
        qs = qs.filter(audience=audience)
    return qs.order_by("name", "pk")


def forum_summary(*, council: Council) -> dict:
    return Forum.objects.filter(council=council).aggregate(
        active=Count("pk", filter=Q(is_archived=False)),
        archived=Count("pk", filter=Q(is_archived=True)),
    )


def access_forum(*, council: Council, pk) -> Forum:
    return get_for_council(Forum.objects.all(), council=council, pk=pk)
