from crispy_forms_gds.helper import FormHelper
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.html import escape

from participation.models import Council, Membership
from participation.spreadsheets import text as spreadsheets_text


def posted(request, *, files: bool = False):
    """The POST data (or files) to bind a form to, or None on GET so the form starts unbound.

    Not `request.POST or None`: an empty POST must still be validated and show its errors.
    """
    if request.method != "POST":
        return None
    return request.FILES if files else request.POST


def search_param(request, name: str = "q", max_length: int = 100) -> str:
    """A search box's text, safe to filter with: trimmed, bounded, without NUL characters
    (PostgreSQL refuses them, which would otherwise turn a stray %00 into a server error)."""
    return request.GET.get(name, "").replace("\x00", "").strip()[:max_length]


def apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form so the error summary shows it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class GovukFormMixin:
    """GOV.UK rendering (crispy-forms-gds); the page draws the <form> and error summary."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class LoginForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct email address and password. Both may be case-sensitive.",
        "inactive": "This account has been switched off. Ask your council admin.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "email", "spellcheck": "false"}
        )


class InviteForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="We will email them a link to join. The link works for 7 days.",
        error_messages={
            "required": "Enter their email address.",
            "invalid": "Enter an email address in the right format, like name@council.gov.uk.",
        },
    )
    role = forms.ChoiceField(
        choices=Membership.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what they will do in Heard."},
    )


class MembershipRoleForm(GovukFormMixin, forms.Form):
    role = forms.ChoiceField(
        choices=Membership.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role."},
    )


class AcceptInvitationForm(GovukFormMixin, forms.Form):
    full_name = forms.CharField(
        label="Full name", max_length=150, error_messages={"required": "Enter your full name."}
    )
    password1 = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters. Not only numbers, and not a common password.",
        error_messages={"required": "Choose a password."},
    )
    password2 = forms.CharField(
        label="Type the password again",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Type the password again."},
    )

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords do not match.")
        elif p1:
            from participation.models import User

            probe = User(email=self.email, full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


def _relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(hex_colour: str) -> float:
    return 1.05 / (_relative_luminance(hex_colour) + 0.05)


class CouncilSettingsForm(GovukFormMixin, forms.ModelForm):
    clear_logo = forms.BooleanField(label="Remove the current logo", required=False)

    class Meta:
        model = Council
        fields = ["name", "brand_colour", "logo", "year_starts", "two_factor_for_everyone"]
        labels = {
            "name": "Council name",
            "brand_colour": "Brand colour",
            "year_starts": "Which month does your council's year start in?",
            "two_factor_for_everyone": "Everyone signs in with a code from an authenticator app",
        }
        help_texts = {
            "brand_colour": "Shown behind white text at the top of every page, e.g. #1d70b8.",
            "logo": "PNG or JPEG, up to 1 MB.",
            "year_starts": "Quarters run three months at a time from this month, on every page "
            "and report. Most councils use April.",
            "two_factor_for_everyone": "Managers and admins always do. Tick this to ask it of "
            "practitioners and participation officers too; each sets up an app at their next "
            "sign-in.",
        }
        error_messages = {
            "name": {"required": "Enter the council's name."},
            "year_starts": {
                "required": "Choose the month your council's year starts in.",
                "invalid_choice": "Choose the month your council's year starts in, from the list.",
            },
        }

    def clean_brand_colour(self):
        colour = self.cleaned_data["brand_colour"].lower()
        # WCAG 2.2 AA needs 4.5:1 for the white header text drawn on this colour.
        if len(colour) == 7 and contrast_with_white(colour) < 4.5:
            raise forms.ValidationError(
                "This colour is too light for white text to be read on it. Choose a darker colour."
            )
        return colour

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "size") and logo.size > 1024 * 1024:
            raise forms.ValidationError("The logo must be smaller than 1 MB.")
        return logo


class TwoFactorCodeForm(GovukFormMixin, forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        error_messages={"required": "Enter the code from your authenticator app."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )

    def __init__(self, *args, help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = help_text


class PasswordResetForm(GovukFormMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(GovukFormMixin, auth_forms.PasswordChangeForm):
    pass


class ColumnMappingForm(GovukFormMixin, forms.Form):
    """One select per column of the officer's own file: which Heard field it fills, if any.

    `fields` are (field, label) pairs; `mapping` is field -> column index as guessed so far.
    Works without JavaScript: the page is this form and a button.
    """

    SAMPLES = 3

    def __init__(self, *args, table, fields, mapping: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.table = table
        self.field_labels = dict(fields)
        width = max([len(table.headings)] + [len(row) for _, row in table.rows[:50]])
        by_index = {index: field for field, index in mapping.items()}
        self.columns = []
        for index in range(width):
            heading = table.headings[index] if index < len(table.headings) else ""
            letter = table.column_letter(index)
            samples = []
            for _, row in table.rows:
                value = spreadsheets_text(row[index]) if index < len(row) else ""
                if value:
                    samples.append(value if len(value) <= 60 else value[:57] + "…")
                if len(samples) == self.SAMPLES:
                    break
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=escape(f"Column {letter}: {heading}")
                if heading
                else f"Column {letter} (no heading)",
                choices=[("", "Do not import")] + list(fields),
                required=False,
                initial=by_index.get(index, ""),
                # The GOV.UK templates print hint text as HTML: the file's words are escaped here.
                help_text=escape("For example: " + "; ".join(samples)) if samples else "Empty",
            )
            self.columns.append((index, heading, name))

    def clean(self):
        data = super().clean()
        taken = {}
        for index, _heading, name in self.columns:
            field = data.get(name)
            if not field:
                continue
            if field in taken:
                self.add_error(
                    name,
                    f"“{self.field_labels[field]}” is already filled by column "
                    f"{self.table.column_letter(taken[field])}. Choose another field or "
                    "“Do not import”.",
                )
            else:
                taken[field] = index
        data["mapping"] = taken
        return data

    def mapping(self) -> dict[str, int]:
        return self.cleaned_data["mapping"]

    def choices_by_heading(self, normal) -> dict[str, str]:
        """Normalised heading -> chosen field ("" for not imported), to remember."""
        return {
            normal(heading): self.cleaned_data.get(name) or ""
            for _, heading, name in self.columns
            if heading
        }
