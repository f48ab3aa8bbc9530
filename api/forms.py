from django import forms

from api.services import DEFAULT_DAYS, MAX_DAYS
from participation.forms import GovukFormMixin


class TokenForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        label="What is it for?",
        help_text="For example Mosaic sync. Only you see this.",
        max_length=80,
        error_messages={
            "required": "Enter what the token is for, like Mosaic sync.",
            "max_length": "The name must be 80 characters or fewer.",
        },
    )
    access = forms.ChoiceField(
        label="What may it do?",
        choices=[
            ("read", "Read only"),
            ("write", "Read and write (log activities, add young people, update actions)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the token may do."},
    )
    days = forms.IntegerField(
        label="Days until it stops working",
        help_text=f"Between 1 and {MAX_DAYS}.",
        initial=DEFAULT_DAYS,
        min_value=1,
        max_value=MAX_DAYS,
        error_messages={
            "required": "Enter how many days the token works for.",
            "invalid": "Enter a whole number of days, like 90.",
            "min_value": f"Choose between 1 and {MAX_DAYS} days.",
            "max_value": f"Choose between 1 and {MAX_DAYS} days.",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )
