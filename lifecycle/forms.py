from django import forms

from lifecycle.models import RecordType
from lifecycle.rules import RULES
from participation.forms import GovukFormMixin


class RetentionForm(GovukFormMixin, forms.Form):
    """One whole-number field per record type. The service checks the values (above zero)."""

    def __init__(self, *args, periods: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for record_type, rule in RULES.items():
            self.fields[record_type] = forms.IntegerField(
                label=f"{RecordType(record_type).label} ({rule.unit})",
                initial=periods[record_type],
                # min_value would stop a zero before the service sees it; the service gives
                # the one clear message for every way in (page, import, shell).
                help_text=f"Default {rule.default} {rule.unit}. {rule.reason}",
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
                error_messages={
                    "required": f"Enter how many {rule.unit} to keep this for.",
                    "invalid": f"Enter a whole number of {rule.unit}, like {rule.default}.",
                },
            )


class PrivacyNoticeForm(GovukFormMixin, forms.Form):
    for_children = forms.CharField(
        label="For children and young people",
        help_text="Plain, short sentences. Leave a blank line between paragraphs.",
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": "Write the privacy notice for children and young people."},
    )
    for_adults = forms.CharField(
        label="For parents, carers and professionals",
        help_text="The fuller version. Leave a blank line between paragraphs.",
        widget=forms.Textarea(attrs={"rows": 16}),
        error_messages={"required": "Write the privacy notice for adults."},
    )
