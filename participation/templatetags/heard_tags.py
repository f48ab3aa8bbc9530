"""Tags every page shares: the "Error:" title prefix, error-summary links that land on a field."""

from django import forms, template

register = template.Library()

# Context names views use for a page-level problem that is not a Django form's error.
ERROR_CONTEXT_NAMES = ("error", "error_list", "row_errors")


def _has_errors(value) -> bool:
    if isinstance(value, forms.BaseForm):
        return value.is_bound and bool(value.errors)
    if isinstance(value, forms.BaseFormSet):
        return value.is_bound and value.total_error_count() > 0
    return False


@register.simple_tag(takes_context=True)
def page_has_errors(context) -> bool:
    """True when the page shows an error summary, so base.html can start the title with "Error:"
    (GOV.UK pattern) without each of dozens of templates remembering to."""
    flat = context.flatten()
    if any(flat.get(name) for name in ERROR_CONTEXT_NAMES):
        return True
    return any(_has_errors(value) for value in flat.values())


def _is_choice_group(bound_field) -> bool:
    widget = bound_field.field.widget
    return isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


@register.filter
def error_target_id(bound_field) -> str:
    """The id an error-summary link must point at: a radio or checkbox group has no element with
    the field's own id, so the link goes to its first input (id_<name>_1, as crispy-forms-gds
    numbers them)."""
    if _is_choice_group(bound_field):
        return f"id_{bound_field.html_name}_1"
    return bound_field.auto_id


@register.inclusion_tag("includes/alert_reminders_warning.html", takes_context=True)
def alert_reminders_warning(context, admin=False):
    """Council admins and platform staff are told on their home page when nothing is re-sending
    unacknowledged safeguarding alerts (Celery beat stopped, or the demo mode)."""
    from participation.selectors import alert_reminder_job_status

    request = context.get("request")
    user = getattr(request, "user", None)
    membership = context.get("membership")
    may_see = bool(user and user.is_staff) or bool(
        membership and membership.can("council.settings")
    )
    if not may_see:
        return {"job": None}
    job = alert_reminder_job_status()
    return {"job": job if job["state"] != "ok" else None, "admin": admin}
