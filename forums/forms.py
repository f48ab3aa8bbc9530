from django import forms

from forums.models import Forum, ForumMember
from participation.activities.forms import ChoicesExplained, DateField
from participation.activities.models import YoungPerson
from participation.forms import GovukFormMixin


class ForumForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Forum
        fields = ["name", "audience", "meets", "purpose", "terms_of_reference"]
        labels = {
            "name": "Forum name",
            "audience": "Who is it for?",
            "meets": "How often does it meet?",
            "purpose": "What is it for?",
            "terms_of_reference": "Terms of reference (optional)",
        }
        widgets = {"audience": forms.RadioSelect, "meets": forms.RadioSelect}
        error_messages = {
            "name": {"required": "Enter the forum's name."},
            "audience": {"required": "Choose who the forum is for."},
            "meets": {"required": "Choose how often it meets."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].widget.attrs["rows"] = 3
        # Radios need no "---------" choice: the error message asks for one when none is picked.
        self.fields["audience"].choices = Forum.Audience.choices
        self.fields["meets"].choices = Forum.Frequency.choices

    def validate_unique(self):
        # Uniqueness per council is checked by the service, which knows the council.
        pass


class ForumMemberAddForm(ChoicesExplained, GovukFormMixin, forms.Form):
    young_person = forms.ModelChoiceField(
        label="Young person",
        queryset=YoungPerson.objects.none(),
        error_messages={"required": "Choose the young person who is joining."},
    )
    role = forms.ChoiceField(
        label="Role",
        choices=ForumMember.Role.choices,
        widget=forms.RadioSelect,
        initial=ForumMember.Role.MEMBER,
        error_messages={"required": "Choose their role on the forum."},
    )
    joined_on = DateField(label="Date they joined", required=True)

    def __init__(self, *args, young_people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["young_person"].queryset = young_people.order_by(
            "preferred_name", "reference", "pk"
        )
        self.fields["young_person"].label_from_instance = lambda yp: (
            f"{yp.preferred_name} ({yp.reference})"
        )


class ForumMemberRoleForm(ChoicesExplained, GovukFormMixin, forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=ForumMember.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose their role on the forum."},
    )


class ForumMemberLeaveForm(GovukFormMixin, forms.Form):
    left_on = DateField(label="Date they left", required=True)
