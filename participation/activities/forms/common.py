from crispy_forms_gds.layout import Field
from django import forms

# Fields and helpers the forms share -----------------------------------------------------


class DateField(forms.DateField):
    """A date typed or picked on a phone: the browser's own date control, ISO or UK order."""

    widget = forms.DateInput(attrs={"type": "date", "class": "govuk-input"}, format="%Y-%m-%d")
    input_formats = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]

    def __init__(self, *, label, required=False, **kwargs):
        messages = {"invalid": f"Enter the {label.lower()} as a real date, like 31/03/2026."}
        if required:
            messages["required"] = f"Enter the {label.lower()}."
        super().__init__(label=label, required=required, error_messages=messages, **kwargs)


MAX_PEOPLE = 100_000
CHOOSE_FROM_LIST = {"invalid_choice": "Choose an option from the list."}


class ChoicesExplained:
    """Replace Django's "Select a valid choice..." with words a person can act on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
                continue
            for key in ("invalid_choice", "invalid_pk_value", "invalid_list"):
                message = field.error_messages.get(key, "")
                if message.startswith(("Select a valid", "Enter a list")) or (
                    "is not a valid value" in message
                ):
                    field.error_messages[key] = "Choose an option from the list."


def _narrow(name: str, width: int) -> Field:
    """A fixed-width input. Dates and numbers need the GOV.UK input class added by hand."""
    field = Field.text(name, field_width=width)
    field.add_class("govuk-input")
    return field


def _count_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_PEOPLE,
        error_messages={
            "invalid": f"Enter the number of {label.lower()} as a whole number.",
            "min_value": "The number of people cannot be negative. Enter 0 or more.",
            "max_value": f"Enter a number of people no bigger than {MAX_PEOPLE:,}.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "govuk-input"}),
    )
