from datetime import date

from django import forms
from django.utils import timezone

from participation.forms import ColumnMappingForm, GovukFormMixin
from participation.models import Membership
from participation.strategy.models import (
    CHILD_MEASURES,
    CHOOSABLE,
    Action,
    Indicator,
    Objective,
    Strategy,
)

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"]


def date_field(
    label: str, *, required=True, help_text="For example, 31/03/2027"
) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": f"Enter the {label.lower()}.",
            "invalid": f"Enter the {label.lower()} as a real date, like 31/03/2027.",
        },
    )


class StrategyForm(GovukFormMixin, forms.ModelForm):
    period_start = date_field("Start date")
    period_end = date_field("End date")

    class Meta:
        model = Strategy
        fields = ["title", "period_start", "period_end", "vision", "state"]
        labels = {"title": "Title", "vision": "Vision (optional)", "state": "Status"}
        help_texts = {
            "state": (
                "A draft stays off the dashboard and the list of all actions until it is active."
            )
        }
        widgets = {"state": forms.RadioSelect}
        error_messages = {"title": {"required": "Enter the strategy's title."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vision"].widget.attrs["rows"] = 3
        self.fields["state"].choices = [
            (Strategy.State.DRAFT, "Draft"),
            (Strategy.State.ACTIVE, "Active"),
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error(
                "period_end", "The end date must be the same as or after the start date."
            )
        return data

    def _post_clean(self):
        # The service validates against the council; the form only checks what a person typed.
        pass


class ObjectiveForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["code", "title", "description", "order"]
        labels = {
            "code": "Code",
            "title": "Objective",
            "description": "Description (optional)",
            "order": "Position in the list",
        }
        help_texts = {
            "code": 'A short code used in the action plan, such as "SP1".',
            "order": "Lower numbers come first.",
        }
        error_messages = {
            "code": {"required": 'Enter a short code for the objective, such as "SP1".'},
            "title": {"required": "Enter the objective's title."},
            "order": {"invalid": "Enter the position as a whole number, like 1."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs["class"] = "govuk-input--width-5"
        self.fields["order"].widget.attrs["class"] = "govuk-input--width-3"
        self.fields["description"].widget.attrs["rows"] = 3

    def _post_clean(self):
        pass


class ActionForm(GovukFormMixin, forms.ModelForm):
    start_date = date_field(
        "Start date", required=False, help_text="Optional. For example, 1/4/2026"
    )
    due_date = date_field("Due date")

    class Meta:
        model = Action
        fields = [
            "objective",
            "also_serves",
            "title",
            "desired_outcome",
            "success_criteria",
            "owner",
            "owner_name",
            "owner_organisation",
            "team",
            "start_date",
            "due_date",
            "child_measure",
        ]
        labels = {
            "objective": "Strategic priority",
            "also_serves": "Other strategic priorities it also serves (optional)",
            "title": "Action",
            "desired_outcome": "Desired outcome (optional)",
            "success_criteria": "Success criteria or measure (optional)",
            "owner": "Owner",
            "owner_name": "Or, for a partner outside Heard, the owner's name",
            "owner_organisation": "and their organisation",
            "team": "Responsible team (optional)",
            "child_measure": 'The "I" statement it serves (optional)',
        }
        help_texts = {
            "owner": "The member of staff who updates its status each quarter.",
            "also_serves": "It is counted under each of them on the dashboard.",
        }
        error_messages = {
            "title": {"required": "Enter what the action is."},
            "objective": {"required": "Choose the strategic priority this action serves."},
        }

    def __init__(self, *args, strategy: Strategy, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = Objective.objects.filter(
            council=strategy.council, strategy=strategy
        ).order_by("order", "code")
        self.fields["objective"].empty_label = None
        self.fields["also_serves"].queryset = self.fields["objective"].queryset
        self.fields["also_serves"].widget = forms.CheckboxSelectMultiple()
        self.fields["also_serves"].widget.choices = self.fields["also_serves"].choices
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda membership: str(membership.user)
        self.fields["owner"].empty_label = "Nobody in Heard"
        self.fields["child_measure"].choices = [("", "None")] + CHILD_MEASURES
        for name in ("desired_outcome", "success_criteria"):
            self.fields[name].widget.attrs["rows"] = 3

    def clean(self):
        data = super().clean()
        start, due = data.get("start_date"), data.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", "The due date must be the same as or after the start date.")
        # The service refuses an unowned action too (the API calls it); checked here as well so
        # the page lists this error with the others in one go.
        if not data.get("owner") and not data.get("owner_name", "").strip():
            self.add_error("owner", "Choose the owner, or enter the name of a partner who owns it.")
        return data

    def _post_clean(self):
        pass


class StatusForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=CHOOSABLE,
        widget=forms.RadioSelect,
        help_text="Overdue is shown automatically once the due date passes.",
        error_messages={
            "required": "Choose the action's status.",
            "invalid_choice": "Choose a status from the key.",
        },
    )
    commentary = forms.CharField(
        label="Commentary (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What has happened since the last update.",
    )


class EvidenceForm(GovukFormMixin, forms.Form):
    description = forms.CharField(
        label="What is the evidence?",
        max_length=300,
        error_messages={"required": "Say what the evidence is."},
    )
    url = forms.URLField(
        label="Web address",
        max_length=500,
        assume_scheme="https",
        help_text="Where the document, page or record is kept.",
        error_messages={
            "required": "Enter the web address where the evidence is kept.",
            "invalid": "Enter a web address, like https://www.example.gov.uk/report.",
        },
    )


class IndicatorForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["title", "unit", "target", "objective", "higher_is_better"]
        labels = {
            "title": "What it measures",
            "unit": "Unit",
            "target": "Target",
            "objective": "Strategic priority (optional)",
            "higher_is_better": "Higher is better",
        }
        error_messages = {
            "title": {"required": "Enter what the indicator measures."},
            "unit": {"required": 'Enter the unit, such as "%" or "staff".'},
            "target": {
                "required": "Enter the target as a number.",
                "invalid": "Enter the target as a number, like 75.",
            },
        }

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = Objective.objects.filter(
            council=strategy.council, strategy=strategy
        )
        self.fields["objective"].empty_label = "The whole strategy"

    def _post_clean(self):
        pass


class IndicatorValueForm(GovukFormMixin, forms.Form):
    quarter_end = forms.TypedChoiceField(
        label="Quarter",
        coerce=date.fromisoformat,
        error_messages={"required": "Choose the quarter.", "invalid_choice": "Choose a quarter."},
    )
    value = forms.DecimalField(
        label="Value at the end of the quarter",
        max_digits=12,
        decimal_places=2,
        error_messages={
            "required": "Enter the value as a number.",
            "invalid": "Enter the value as a number, like 361.",
        },
    )

    def __init__(self, *args, quarter_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter_end"].choices = quarter_choices


def owner_link_choices(people) -> list[tuple]:
    return [("", "Choose a person")] + [(m.pk, str(m.user)) for m in people]


class OwnerLinkForm(GovukFormMixin, forms.Form):
    owner_name = forms.CharField(widget=forms.HiddenInput, max_length=150)
    membership = forms.ModelChoiceField(
        label="Who is this?",
        queryset=Membership.objects.none(),
        error_messages={
            "required": "Choose the person this owner is.",
            "invalid_choice": "Choose a person from the list.",
        },
    )

    def __init__(self, *args, people, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        field.queryset = people
        field.empty_label = "Choose a person"
        # One form per name on the page: the list of people is read once and shared.
        field.choices = choices if choices is not None else owner_link_choices(people)


class ImportForm(GovukFormMixin, forms.Form):
    strategy = forms.ModelChoiceField(
        label="Which strategy is this action plan for?",
        queryset=Strategy.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Choose the strategy.",
            "invalid_choice": "Choose a strategy from the list.",
        },
    )
    file = forms.FileField(
        label="Upload the action plan",
        help_text=(
            "A CSV file or an Excel workbook (.xlsx), up to 2 MB and 1,000 actions. The first "
            "row must hold the column headings, such as Action, Strategic Priority and Date to "
            "be Completed, and any of Also serves, Desired outcome, Action Owner, Success "
            "criteria, Commentary and Status."
        ),
        error_messages={
            "required": "Choose a file to upload.",
            "empty": "The file is empty.",
        },
    )
    as_at = date_field(
        "What date are these statuses from?",
        required=False,
        help_text=(
            "A plan copied from an old report shows the statuses it had then. Heard records "
            "them on this date, so quarter-end figures show the plan as it was. Leave it as "
            "today for a plan that is up to date. For example, 31/03/2025."
        ),
    )

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = (
            Strategy.objects.filter(council=council)
            .exclude(state=Strategy.State.ARCHIVED)
            .order_by("-period_start", "title")
        )
        if not self.is_bound:
            self.initial.setdefault("as_at", timezone.localdate())


class PlanColumnsForm(ColumnMappingForm):
    """Which column of the council's plan fills which field, and one value for every row for a
    required field that no column fills."""

    every_objective = forms.CharField(
        label="Strategic priority for every action (if no column holds it)",
        required=False,
        max_length=1000,
        help_text='For example, "SP1" or "NT1 Care leavers shall be heard".',
    )
    every_due_date = date_field(
        "Due date for every action (if no column holds it)",
        required=False,
        help_text="For example, 31/03/2027",
    )

    FIXED = {"objective": "every_objective", "due_date": "every_due_date"}

    def __init__(self, *args, required, fixed, **kwargs):
        super().__init__(*args, **kwargs)
        self.required = required
        # The "every row" fields come after the columns, whatever order Django declared them in.
        for name in self.FIXED.values():
            self.fields[name] = self.fields.pop(name)
            if fixed.get(name):
                self.initial.setdefault(name, fixed[name])

    def clean(self):
        data = super().clean()
        mapping = data.get("mapping", {})
        for field in self.required:
            if field in mapping:
                continue
            fixed_name = self.FIXED.get(field)
            if fixed_name and data.get(fixed_name):
                continue
            label = self.field_labels[field]
            message = f"Choose the column that holds “{label}”"
            if fixed_name:
                self.add_error(fixed_name, f"{message}, or give one value for every row.")
            else:
                self.add_error(None, f"{message}.")
        return data

    def fixed(self) -> dict:
        """Field -> the value every row gets, for fields no column fills."""
        mapping = self.cleaned_data["mapping"]
        out = {}
        for field, name in self.FIXED.items():
            value = self.cleaned_data.get(name)
            if value and field not in mapping:
                out[field] = value
        return out
