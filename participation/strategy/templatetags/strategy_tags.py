from django import template
from django.utils.html import format_html

from participation.quarters import Quarter
from participation.strategy.models import COLOUR, Status

register = template.Library()

# GOV.UK tag colours for the Sandwell key. The words are always shown: colour is never the only
# signal.
TAG_CLASS = {
    Status.NOT_STARTED: "govuk-tag--grey",
    Status.ON_TRACK: "govuk-tag--green",
    Status.OFF_TRACK: "govuk-tag--orange",
    Status.OVERDUE: "govuk-tag--red",
    Status.COMPLETED: "govuk-tag--blue",
}


@register.simple_tag
def status_tag(status: str):
    if status not in Status.values:
        return ""
    return format_html(
        '<strong class="govuk-tag {}" title="{}">{}</strong>',
        TAG_CLASS[status],
        COLOUR[status],
        Status(status).label,
    )


@register.filter
def status_label(status: str) -> str:
    return Status(status).label if status in Status.values else ""


@register.filter
def quarter_label(day, year_starts):
    """ "Q1 2026/27": the council's quarter holding the day, labelled as every page labels it."""
    return Quarter.containing(day, year_starts=int(year_starts)).short_label


@register.filter
def get(mapping, key):
    return mapping.get(key, 0) if mapping else 0
