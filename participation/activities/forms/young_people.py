from crispy_forms_gds.layout import Field, Fieldset, Fixed, Layout, Size
from django import forms

from participation.activities.forms.common import MAX_PEOPLE, ChoicesExplained, DateField, _narrow
from participation.activities.models import (
    COHORTS,
    AgeBand,
    YoungPerson,
)
from participation.forms import GovukFormMixin

# Young people and cohorts ------------------------------------------------------------------


class YoungPersonForm(ChoicesExplained, GovukFormMixin, forms.Form):
    preferred_name = forms.CharField(
        label="Preferred name",
        max_length=80,
        help_text="The name they like to be called. No surname is needed.",
        error_messages={"required": "Enter the name they like to be called."},
    )
    reference = forms.CharField(
        label="Reference (optional)",
        max_length=20,
        required=False,
        help_text="Leave empty and Heard gives them the next reference, like YP-0042.",
    )
    date_of_birth = DateField(label="Date of birth")
    age_band = forms.ChoiceField(
        label="Age band, if you do not know their date of birth",
        choices=[("", "Not known"), *AgeBand.choices],
        required=False,
    )
    cohorts = forms.MultipleChoiceField(
        label="Which of these apply?",
        choices=COHORTS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    ethnicity = forms.ChoiceField(
        label="Ethnic group",
        choices=[("", "Not recorded"), *YoungPerson.Ethnicity.choices],
        required=False,
    )
    gender = forms.ChoiceField(
        label="Gender",
        choices=[("", "Not recorded"), *YoungPerson.Gender.choices],
        required=False,
    )
    disability = forms.ChoiceField(
        label="Do they consider themselves disabled?",
        choices=[("", "Not recorded"), *YoungPerson.Disability.choices],
        required=False,
    )
    consent_given_by = forms.ChoiceField(
        label="Consent given by",
        choices=[("", "Not recorded"), *YoungPerson.ConsentGivenBy.choices],
        required=False,
    )
    consent_given_on = DateField(label="Date consent was given")
    consent_for = forms.CharField(
        label="What consent covers",
        max_length=255,
        required=False,
        help_text="For example: taking part in forums, and photos in the newsletter.",
    )
    consent_review_on = DateField(label="Date to review consent")
    contact_by = forms.ChoiceField(
        label="How they like to be contacted",
        choices=[("", "Not recorded"), *YoungPerson.ContactBy.choices],
        required=False,
    )
    contact_notes = forms.CharField(
        label="Notes about contact",
        max_length=255,
        required=False,
        help_text="No phone numbers or addresses: keep those in the case record.",
    )

    def __init__(self, *args, show_equality: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.show_equality = show_equality
        equality = []
        if show_equality:
            equality = [
                Fieldset(
                    Field.select("ethnicity"),
                    Field.select("gender"),
                    Field.select("disability"),
                    legend="Equality information (optional)",
                    legend_size=Size.SMALL,
                )
            ]
        else:
            for name in ("ethnicity", "gender", "disability"):
                del self.fields[name]
        self.helper.layout = Layout(
            Field.text("preferred_name"),
            _narrow("reference", Fixed.TEN),
            _narrow("date_of_birth", Fixed.TEN),
            Field.select("age_band"),
            Field.checkboxes("cohorts", legend_size=Size.SMALL, small=True),
            *equality,
            Fieldset(
                Field.select("consent_given_by"),
                _narrow("consent_given_on", Fixed.TEN),
                Field.text("consent_for"),
                _narrow("consent_review_on", Fixed.TEN),
                legend="Consent",
                legend_size=Size.SMALL,
            ),
            Fieldset(
                Field.select("contact_by"),
                Field.text("contact_notes"),
                legend="Contact",
                legend_size=Size.SMALL,
            ),
        )

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        chosen = set(data.pop("cohorts"))
        for name, _ in COHORTS:
            data[name] = name in chosen
        return data

    @staticmethod
    def initial_for(person: YoungPerson) -> dict:
        names = [
            "preferred_name",
            "reference",
            "date_of_birth",
            "age_band",
            "ethnicity",
            "gender",
            "disability",
            "consent_given_by",
            "consent_given_on",
            "consent_for",
            "consent_review_on",
            "contact_by",
            "contact_notes",
        ]
        initial = {name: getattr(person, name) for name in names}
        initial["cohorts"] = [name for name, _ in COHORTS if getattr(person, name)]
        return initial


class CohortSizeForm(GovukFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in COHORTS:
            self.fields[name] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                max_value=MAX_PEOPLE,
                error_messages={
                    "invalid": f"Enter the number of {label.lower()} as a whole number.",
                    "min_value": "The number of young people cannot be negative.",
                    "max_value": f"Enter a number no bigger than {MAX_PEOPLE:,}.",
                },
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "govuk-input"}),
            )
        self.helper.layout = Layout(*(_narrow(name, Fixed.FIVE) for name, _ in COHORTS))
