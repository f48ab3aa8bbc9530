from django import forms

from participation.forms import GovukFormMixin
from reporting.models import ReportRun
from reporting.selectors import SECTIONS


class NewReportForm(GovukFormMixin, forms.Form):
    quarter = forms.ChoiceField(
        label="Which quarter is the report about?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the quarter the report is about."},
    )
    audience = forms.ChoiceField(
        label="Who is the report for?",
        choices=ReportRun.Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the report is for."},
    )

    def __init__(self, *args, quarters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [
            (q.start.isoformat(), f"{q.short_label} ({q.start:%-d %B %Y} to {q.end:%-d %B %Y})")
            for q in quarters
        ]


class DraftForm(GovukFormMixin, forms.Form):
    introduction = forms.CharField(
        label="Introduction", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    purpose = forms.CharField(
        label="Purpose of the report", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    recommendation = forms.CharField(
        label="Recommendation",
        help_text='For example: "The Board is asked to note the contents of this report."',
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sections = forms.MultipleChoiceField(
        label="Sections to include",
        choices=[(s.key, s.title) for s in SECTIONS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one section to include."},
    )

    def __init__(self, *args, young_people: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if young_people:
            # The young people's version has its own fixed parts and no board to recommend to:
            # only its opening words are written by the officer.
            for name in ("purpose", "recommendation", "sections"):
                del self.fields[name]
            self.fields["introduction"].label = "A few words to young people (optional)"
            return
        for section in SECTIONS:
            self.fields[f"narrative_{section.key}"] = forms.CharField(
                label=f"What to say about {section.title.lower()} (optional)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    @staticmethod
    def initial_for(run: ReportRun) -> dict:
        initial = {
            "introduction": run.introduction,
            "purpose": run.purpose,
            "recommendation": run.recommendation,
            "sections": run.sections,
        }
        for key, text in run.narratives.items():
            initial[f"narrative_{key}"] = text
        return initial

    def narratives(self) -> dict[str, str]:
        return {s.key: self.cleaned_data.get(f"narrative_{s.key}", "") for s in SECTIONS}
