"""What the strategy pages share: the chart colours, the status key and filter choices."""

from django.utils.http import url_has_allowed_host_and_scheme

from participation.quarters import Quarter
from participation.strategy import selectors
from participation.strategy.models import CHOOSABLE, COLOUR, Status, Strategy
from reporting import charts

# The quick update in a list row uses the key's short words, so the row stays narrow.
QUICK_CHOICES = [(value, Status(value).label) for value, _ in CHOOSABLE]


def with_trends(indicators, *, council):
    """Each indicator's values by quarter and its target, as a bar chart."""
    for indicator in indicators:
        bars = [
            (
                Quarter.containing(value.quarter_end, year_starts=council.year_starts).short_label,
                float(value.value),
            )
            for value in indicator.quarter_values
        ]
        indicator.chart = charts.indicator_chart(
            bars, title=indicator.title, target=indicator.target, unit=indicator.unit
        )
    return indicators


def status_key():
    return [(status, label, COLOUR[status]) for status, label in Status.choices]


def back_url(request, fallback: str) -> str:
    """The page to return to after a quick update: only ever a page on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def filter_choices(council) -> dict:
    from participation.strategy.models import Objective

    return {
        "strategies": Strategy.objects.filter(council=council)
        .exclude(state=Strategy.State.ARCHIVED)
        .order_by("-period_start", "title"),
        "objectives": Objective.objects.filter(council=council)
        .exclude(strategy__state=Strategy.State.ARCHIVED)
        .select_related("strategy")
        .order_by("strategy__title", "order", "code"),
        "owners": selectors.owner_choices(council=council),
        "teams": selectors.team_choices(council=council),
        "statuses": Status.choices,
    }
