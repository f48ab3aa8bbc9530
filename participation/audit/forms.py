from django import forms

from participation.audit import selectors


class TrailFilterForm(forms.Form):
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    person = forms.TypedChoiceField(label="Person", required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label="Kind of event", required=False)
    record_type = forms.ChoiceField(label="Record type", required=False)
    record_id = forms.CharField(label="Record id", required=False, max_length=40)

    def __init__(self, data, *, people):
        super().__init__(data)
        self.fields["person"].choices = [("", "Anyone")] + [
            (str(p.pk), p.full_name or f"Person #{p.pk}") for p in people
        ]
        self.fields["kind"].choices = [("", "Every kind")] + selectors.KINDS
        self.fields["record_type"].choices = [("", "Every record type")] + selectors.record_types()

    def clean_record_id(self):
        return self.cleaned_data["record_id"].replace("\x00", "").strip()

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end date must be the same as or after the start date.")
        return data

    def filters(self) -> selectors.TrailFilters:
        if not self.is_valid():
            return selectors.TrailFilters()
        data = self.cleaned_data
        return selectors.TrailFilters(
            start=data.get("start"),
            end=data.get("end"),
            person=data.get("person"),
            kind=data.get("kind") or "",
            record_type=data.get("record_type") or "",
            record_id=data.get("record_id") or "",
        )
