from crispy_forms_gds.layout import Field, Fieldset, Fixed, Layout, Size
from django import forms
from django.db.models import Q
from django.utils import timezone

from participation.activities import selectors
from participation.activities.forms.common import (
    CHOOSE_FROM_LIST,
    ChoicesExplained,
    DateField,
    _count_field,
    _narrow,
)
from participation.activities.models import (
    AGE_BAND_COUNTS,
    COUNT_FIELDS,
    GROUP_COUNTS,
    LUNDY,
    Activity,
    ActivityKind,
    LadderRung,
    Method,
    Participation,
    ParticipationType,
    YoungPerson,
)
from participation.forms import GovukFormMixin
from participation.models import Membership

# Activities ---------------------------------------------------------------------------------


class ActivityForm(ChoicesExplained, GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="What was the activity?",
        max_length=160,
        help_text="For example: recruitment panel for a new IRO.",
        error_messages={"required": "Enter what the activity was."},
    )
    status = forms.ChoiceField(
        label="Has it happened yet?",
        choices=[("done", "Done"), ("planned", "Planned")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether the activity is done or planned.",
            **CHOOSE_FROM_LIST,
        },
    )
    starts_on = DateField(label="Date", required=True)
    ends_on = DateField(label="End date", help_text="Only if it ran over more than one day.")
    kind = forms.ModelChoiceField(
        label="Kind of activity",
        queryset=None,
        empty_label="Choose a kind",
        error_messages={
            "required": "Choose the kind of activity.",
            "invalid_choice": "Choose a kind of activity from the list.",
        },
    )
    participation_type = forms.ChoiceField(
        label="Type of participation",
        choices=ParticipationType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of participation.", **CHOOSE_FROM_LIST},
    )
    ladder_rung = forms.TypedChoiceField(
        label="Hart's ladder: how far did young people lead?",
        choices=LadderRung.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a rung of Hart's ladder.", **CHOOSE_FROM_LIST},
    )
    lundy = forms.MultipleChoiceField(
        label="Lundy elements this activity shows",
        choices=[(field.removeprefix("lundy_"), label) for field, label in LUNDY],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Space, voice, audience, influence: tick each one you have evidence for.",
    )
    service_areas = forms.ModelMultipleChoiceField(
        label="Service areas",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose service areas from the list."},
    )
    methods = forms.MultipleChoiceField(
        label="Methods",
        choices=Method.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    lead_worker = forms.ModelChoiceField(
        label="Lead worker",
        queryset=None,
        required=False,
        empty_label="No lead worker",
        error_messages={"invalid_choice": "Choose a lead worker from the list."},
    )
    young_people = forms.ModelMultipleChoiceField(
        label="Young people who took part",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick the young people with a record. Count anyone else below.",
        error_messages={
            "invalid_choice": "Choose young people from this council's list.",
        },
    )
    what_young_people_said = forms.CharField(
        label="What young people said", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    what_changed = forms.CharField(
        label="What changed as a result",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="The influence young people had: what a service did differently because of it.",
    )
    feedback_given = forms.BooleanField(
        label="We told the young people what happened as a result", required=False
    )
    feedback_given_on = DateField(label="Date feedback was given")
    incentive_description = forms.CharField(
        label="Incentives given",
        max_length=160,
        required=False,
        help_text="For example: shopping vouchers.",
    )
    incentive_amount = forms.DecimalField(
        label="Total value of incentives, in pounds",
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "invalid": "Enter the value in pounds, like 25 or 25.50.",
            "min_value": "The value cannot be negative.",
        },
    )

    def __init__(self, *args, council, membership: Membership, activity=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in GROUP_COUNTS:
            self.fields[name] = _count_field(label)
        for name, band in AGE_BAND_COUNTS:
            self.fields[name] = _count_field(f"Aged {band.label.lower()}")
        self.fields["kind"].queryset = selectors.kinds(
            council=council, include=getattr(activity, "kind", None)
        )
        current = selectors.activity_service_areas(activity=activity) if activity else []
        self.fields["service_areas"].queryset = selectors.service_areas(
            council=council, include=current
        )
        self.fields["lead_worker"].queryset = selectors.workers(council=council)
        self.fields["lead_worker"].label_from_instance = lambda user: user.full_name or user.email
        people = selectors.visible_young_people(membership=membership)
        if activity is not None and activity.pk:
            # Keep those already on the activity, even when this person could not add them.
            on_it = Participation.objects.filter(council=council, activity=activity)
            people = YoungPerson.objects.filter(council=council).filter(
                Q(pk__in=people.values("pk")) | Q(pk__in=on_it.values("young_person_id"))
            )
        self.fields["young_people"].queryset = people.order_by("preferred_name", "reference")
        self.fields["young_people"].label_from_instance = lambda person: (
            f"{person.preferred_name} ({person.reference})"
        )
        self.helper.layout = Layout(
            Field.text("title"),
            Field.radios("status", legend_size=Size.SMALL, inline=True),
            _narrow("starts_on", Fixed.TEN),
            _narrow("ends_on", Fixed.TEN),
            Field.select("kind"),
            Field.radios("participation_type", legend_size=Size.SMALL, small=True),
            Field.radios("ladder_rung", legend_size=Size.SMALL, small=True),
            Field.checkboxes("lundy", legend_size=Size.SMALL, small=True),
            Field.checkboxes("service_areas", legend_size=Size.SMALL, small=True),
            Field.checkboxes("methods", legend_size=Size.SMALL, small=True),
            Field.select("lead_worker"),
            Field.checkboxes("young_people", legend_size=Size.SMALL, small=True),
            Fieldset(
                *(_narrow(name, Fixed.FIVE) for name, _ in GROUP_COUNTS),
                legend="Anyone else who took part, by group",
                legend_size=Size.SMALL,
            ),
            Fieldset(
                *(_narrow(name, Fixed.FIVE) for name, _ in AGE_BAND_COUNTS),
                legend="Children and young people counted above, by age (if known)",
                legend_size=Size.SMALL,
            ),
            Field.textarea("what_young_people_said", rows=4),
            Field.textarea("what_changed", rows=4),
            Field.checkbox("feedback_given", small=True),
            _narrow("feedback_given_on", Fixed.TEN),
            Field.text("incentive_description"),
            _narrow("incentive_amount", Fixed.TEN),
        )

    def clean(self):
        # The service checks these too; checking here shows them with any other mistakes at once.
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The end date must be the same as or after the start date.")
        today = timezone.localdate()
        if data.get("status") == Activity.Status.DONE and starts_on and starts_on > today:
            self.add_error(
                "starts_on",
                "A done activity cannot have a date in the future. "
                "Change the date, or mark the activity as planned.",
            )
        return data

    def service_fields(self) -> dict:
        """The cleaned form as the keyword arguments activity_create and activity_update take."""
        data = dict(self.cleaned_data)
        lundy = set(data.pop("lundy"))
        for field, _ in LUNDY:
            data[field] = field.removeprefix("lundy_") in lundy
        for name in COUNT_FIELDS:
            data[name] = data[name] or 0
        data["young_people"] = list(data["young_people"])
        data["service_areas"] = list(data["service_areas"])
        return data

    @staticmethod
    def initial_for(activity: Activity, *, service_areas, young_people) -> dict:
        initial = {
            name: getattr(activity, name)
            for name in (
                "title",
                "status",
                "starts_on",
                "ends_on",
                "kind",
                "participation_type",
                "ladder_rung",
                "methods",
                "lead_worker",
                "what_young_people_said",
                "what_changed",
                "feedback_given",
                "feedback_given_on",
                "incentive_description",
                "incentive_amount",
                *COUNT_FIELDS,
            )
        }
        initial["lundy"] = [f.removeprefix("lundy_") for f, _ in LUNDY if getattr(activity, f)]
        initial["service_areas"] = [area.pk for area in service_areas]
        initial["young_people"] = [person.pk for person in young_people]
        return initial


class ActivityFilterForm(ChoicesExplained, forms.Form):
    """The list's filters, read from the query string. Invalid values are shown and ignored."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    date_from = DateField(label="From")
    date_to = DateField(label="To")
    kind = forms.ModelChoiceField(label="Kind", queryset=None, required=False)
    service_area = forms.ModelChoiceField(label="Service area", queryset=None, required=False)
    worker = forms.ModelChoiceField(label="Lead worker", queryset=None, required=False)
    rung = forms.TypedChoiceField(
        label="Hart's ladder rung",
        choices=[("", "Any rung"), *LadderRung.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    lundy = forms.ChoiceField(
        label="Lundy element",
        choices=[("", "Any"), *((f.removeprefix("lundy_"), label) for f, label in LUNDY)],
        required=False,
    )
    status = forms.ChoiceField(
        label="Status", choices=[("", "Any"), *Activity.Status.choices], required=False
    )
    sort = forms.ChoiceField(
        label="Sort by",
        choices=[
            ("newest", "Newest first"),
            ("oldest", "Oldest first"),
            ("title", "Title"),
            ("kind", "Kind"),
        ],
        required=False,
    )

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = ActivityKind.objects.filter(council=council)
        self.fields["kind"].empty_label = "Any kind"
        self.fields["service_area"].queryset = selectors.service_areas(
            council=council, everything=True
        )
        self.fields["service_area"].empty_label = "Any service area"
        self.fields["worker"].queryset = selectors.workers(council=council)
        self.fields["worker"].empty_label = "Anyone"
        self.fields["worker"].label_from_instance = lambda user: user.full_name or user.email
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs["class"] = "govuk-select"
            else:
                widget.attrs["class"] = "govuk-input"
        self.fields["q"].widget.input_type = "search"

    def filters(self) -> selectors.ActivityFilters:
        self.is_valid()
        data = self.cleaned_data
        return selectors.ActivityFilters(
            search=(data.get("q") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            kind=data.get("kind"),
            service_area=data.get("service_area"),
            lead_worker=data.get("worker"),
            ladder_rung=data.get("rung"),
            lundy=data.get("lundy") or "",
            status=data.get("status") or "",
            sort=data.get("sort") or "newest",
        )


class RecognitionForm(GovukFormMixin, forms.Form):
    hours = forms.DecimalField(
        label="Hours they gave",
        required=False,
        min_value=0,
        max_digits=5,
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "invalid": "Enter the hours as a number, like 2 or 1.5.",
            "min_value": "Hours cannot be negative.",
        },
    )
    voucher_amount = forms.DecimalField(
        label="Vouchers they received, in pounds",
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "invalid": "Enter the value in pounds, like 10 or 12.50.",
            "min_value": "The voucher amount cannot be negative.",
        },
    )
    accreditation = forms.CharField(
        label="Accreditation",
        max_length=160,
        required=False,
        help_text="For example: AQA unit award, or a Duke of Edinburgh's Award section.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            _narrow("hours", Fixed.FIVE),
            _narrow("voucher_amount", Fixed.FIVE),
            Field.text("accreditation"),
        )
