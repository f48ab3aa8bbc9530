from django import forms

from feedback.models import FeedbackForm, Question, SafeguardingSettings, Theme, YouSaidWeDid
from participation.forms import GovukFormMixin
from participation.models import Membership


class FeedbackFormForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = FeedbackForm
        fields = [
            "title",
            "intro",
            "audience",
            "service_area",
            "opens_at",
            "closes_at",
            "is_anonymous",
            "one_per_screen",
        ]
        labels = {
            "title": "Form title",
            "intro": "Introduction (optional)",
            "audience": "Who will fill it in?",
            "service_area": "Service area",
            "opens_at": "Opens on (optional)",
            "closes_at": "Closes on (optional)",
            "is_anonymous": "Anonymous: do not ask for a name",
        }
        widgets = {
            "audience": forms.RadioSelect,
            "opens_at": forms.DateInput(attrs={"type": "date"}),
            "closes_at": forms.DateInput(attrs={"type": "date"}),
        }
        error_messages = {
            "title": {"required": "Enter a title for the form."},
            "audience": {"required": "Choose who will fill it in."},
            "service_area": {"required": "Choose the service area."},
            "opens_at": {"invalid": "Enter the opening date as a real date, like 2026-12-01."},
            "closes_at": {"invalid": "Enter the closing date as a real date, like 2026-12-31."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intro"].widget.attrs["rows"] = 3
        self.fields["audience"].choices = FeedbackForm.Audience.choices


class QuestionForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "text",
            "kind",
            "help_text",
            "choices",
            "required",
            "about_you",
            "principle",
            "alert_on",
        ]
        labels = {
            "text": "Question",
            "kind": "How do young people answer?",
            "help_text": "Help text (optional)",
            "choices": "Choices (for 'choose one' and 'choose any')",
            "required": "An answer is needed before the form can be sent",
            "about_you": "Is this an 'about you' question?",
            "principle": "Which of the six principles does it measure? (optional)",
        }
        help_texts = {
            "about_you": "'About you' questions are never required.",
        }
        widgets = {"kind": forms.RadioSelect, "choices": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "text": {"required": "Enter the question."},
            "kind": {"required": "Choose how young people answer."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Question.Kind.choices


class TemplateChoiceForm(GovukFormMixin, forms.Form):
    template = forms.ChoiceField(
        label="Start from",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a template."},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = choices


class SafeguardingSettingsForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = SafeguardingSettings
        fields = ["contact_text", "worrying_phrases", "renotify_after_minutes"]
        widgets = {"worrying_phrases": forms.Textarea(attrs={"rows": 8})}
        error_messages = {
            "renotify_after_minutes": {
                "required": "Enter how many minutes to wait before reminding.",
                "invalid": "Enter a whole number of minutes, like 60.",
            }
        }

    def clean_renotify_after_minutes(self):
        value = self.cleaned_data["renotify_after_minutes"]
        if not 5 <= value <= 24 * 60:
            raise forms.ValidationError("Enter a number of minutes from 5 to 1440 (a day).")
        return value


class ContactForm(GovukFormMixin, forms.Form):
    membership = forms.ModelChoiceField(
        queryset=Membership.objects.none(),
        label="Add a safeguarding contact",
        error_messages={
            "required": "Choose a person.",
            "invalid_choice": "Choose a person from the list.",
        },
    )

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = (
            Membership.objects.filter(council=council, is_active=True)
            .select_related("user")
            .order_by("user__full_name")
        )
        self.fields["membership"].label_from_instance = lambda m: (
            f"{m.user.full_name} ({m.get_role_display()})"
        )


class AcknowledgeForm(GovukFormMixin, forms.Form):
    pass


class ActionForm(GovukFormMixin, forms.Form):
    action_taken = forms.CharField(
        label="What was done?",
        help_text=(
            "For example: spoke to the young person's social worker, who visited the same day."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={
            "required": "Write what was done.",
            "max_length": "Keep this to 5000 characters or fewer.",
        },
    )


class ThemesForm(GovukFormMixin, forms.Form):
    themes = forms.CharField(
        label="Themes",
        help_text="Separate themes with commas, like: school, contact with family.",
        required=False,
        max_length=500,
        error_messages={"max_length": "Keep the themes to 500 characters or fewer."},
    )

    def names(self) -> list[str]:
        return [n.strip() for n in self.cleaned_data["themes"].split(",") if n.strip()]


class YouSaidWeDidForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = YouSaidWeDid
        fields = ["you_said", "we_did", "theme", "owner", "status", "date", "is_published"]
        labels = {
            "you_said": "You said: what young people told us",
            "we_did": "We did: what the council did or will do",
            "theme": "Answers tagged with this theme (optional)",
            "owner": "Who owns it",
            "is_published": "Show it on the public 'you said, we did' page",
        }
        widgets = {
            "you_said": forms.Textarea(attrs={"rows": 3}),
            "we_did": forms.Textarea(attrs={"rows": 3}),
            "status": forms.RadioSelect,
            "date": forms.DateInput(attrs={"type": "date"}),
        }
        error_messages = {
            "you_said": {"required": "Write what young people said."},
            "we_did": {"required": "Write what the council did."},
            "date": {"required": "Enter the date.", "invalid": "Enter a real date."},
        }

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(council=council).order_by("name")
        self.fields["owner"].queryset = (
            self.fields["owner"]
            .queryset.filter(memberships__council=council, memberships__is_active=True)
            .order_by("full_name")
        )
        self.fields["owner"].required = False
        self.fields["status"].choices = YouSaidWeDid.Status.choices
