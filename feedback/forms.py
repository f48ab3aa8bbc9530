from crispy_forms.layout import HTML, Layout
from django import forms

from feedback import selectors
from feedback.models import FeedbackForm, Question, SafeguardingSettings, Theme, YouSaidWeDid
from participation.forms import GovukFormMixin
from participation.models import Membership
from participation.strategy import selectors as strategy_selectors


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
        fields = [
            "you_said",
            "we_did",
            "theme",
            "activities",
            "owner",
            "status",
            "date",
            "is_published",
        ]
        labels = {
            "you_said": "You said: what young people told us",
            "we_did": "We did: what the council did or will do",
            "theme": "Answers tagged with this theme (optional)",
            "activities": "Activities where young people said this (optional)",
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

    activity_search = forms.CharField(
        label="Find activities in the participation log",
        help_text="Type words from the activity's title, then choose Search activities. "
        "The 30 most recent activities are listed otherwise.",
        required=False,
        max_length=100,
        error_messages={"max_length": "Search with 100 characters or fewer."},
    )

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        data = self.data if self.is_bound else None
        if data is not None:
            search, keep = data.get("activity_search", ""), data.getlist("activities")
        else:
            search = self.initial.get("activity_search", "")
            keep = [getattr(a, "pk", a) for a in self.initial.get("activities") or []]
        activities = self.fields["activities"]
        activities.queryset = selectors.activity_choices(
            council=council, search=search[:100], keep=keep
        )
        activities.widget = forms.CheckboxSelectMultiple(choices=activities.choices)
        activities.label_from_instance = lambda a: f"{a.title} ({a.starts_on:%d %b %Y})"
        activities.required = False
        message = "Choose activities from your own council's participation log."
        activities.error_messages["invalid_choice"] = message
        activities.error_messages["invalid_pk_value"] = message
        activities.help_text = (
            "Only your council's activities are listed." if activities.queryset else ""
        )
        self.helper.layout = Layout(
            "you_said",
            "we_did",
            "theme",
            "activity_search",
            HTML(
                '<div class="govuk-button-group"><button type="submit" name="find_activities"'
                ' value="1" class="govuk-button govuk-button--secondary"'
                ' data-module="govuk-button">Search activities</button></div>'
            ),
            "activities",
            "owner",
            "status",
            "date",
            "is_published",
        )
        self.fields["theme"].queryset = Theme.objects.filter(council=council).order_by("name")
        self.fields["owner"].queryset = (
            self.fields["owner"]
            .queryset.filter(memberships__council=council, memberships__is_active=True)
            .order_by("full_name")
        )
        self.fields["owner"].required = False
        self.fields["status"].choices = YouSaidWeDid.Status.choices


class AttachEvidenceForm(GovukFormMixin, forms.Form):
    action = forms.ModelChoiceField(
        label="Which action does this show progress on?",
        queryset=None,
        empty_label="Choose an action",
        error_messages={
            "required": "Choose the action this is evidence for.",
            "invalid_choice": "Choose an action from your council's action plans.",
        },
    )
    description = forms.CharField(
        label="What does it show?",
        max_length=300,
        help_text="Shown on the action page as the link to this entry.",
        error_messages={
            "required": "Say what the evidence shows.",
            "max_length": "Keep it to 300 characters or fewer.",
        },
    )

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = strategy_selectors.attachable_actions(council=council)
        self.fields["action"].label_from_instance = lambda a: (
            f"{a.objective.strategy.title}: {a.objective.code} {a.title}"
        )
