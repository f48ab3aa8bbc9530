from django import forms

from participation.activities.forms.common import ChoicesExplained
from participation.activities.models import (
    ParticipationType,
)
from participation.forms import GovukFormMixin

# The council's own lists --------------------------------------------------------------------


class KindAddForm(ChoicesExplained, GovukFormMixin, forms.Form):
    name = forms.CharField(
        label="New kind of activity",
        max_length=80,
        error_messages={"required": "Enter the name of the kind of activity."},
    )
    usual_type = forms.ChoiceField(
        label="Usual type of participation",
        choices=[("", "Varies"), *ParticipationType.choices],
        required=False,
    )


class ServiceAreaAddForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        label="New service area",
        max_length=80,
        error_messages={"required": "Enter the name of the service area."},
    )
