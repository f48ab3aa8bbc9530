from django import forms

from forums.models import Forum
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
