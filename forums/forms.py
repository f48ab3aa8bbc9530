from django import forms

from forums.models import Ask, ConsultationRequest, Forum, ForumMember, Meeting, WorkItem
from participation.activities.forms import ChoicesExplained, DateField
from participation.activities.models import YoungPerson
from participation.forms import GovukFormMixin


class ForumForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Forum
        fields = [
            "name",
            "audience",
            "meets",
            "purpose",
            "min_age",
            "max_age",
        ]
        labels = {
            "name": "Forum name",
            "audience": "Who is it for?",
            "meets": "How often does it meet?",
            "purpose": "What is it for?",
            "min_age": "Youngest age (optional)",
            "max_age": "Oldest age (optional)",
        }
        help_texts = {
            "max_age": "Like 17 for a children's forum, or 25 for care leavers. The forum page "
            "warns before a member passes it.",
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
    board = forms.CharField(
        label="Board (for a representative)",
        required=False,
        max_length=120,
        help_text="Leave empty for the Corporate Parenting Board.",
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
    board = forms.CharField(
        label="Board (for a representative)",
        required=False,
        max_length=120,
        help_text="Leave empty for the Corporate Parenting Board.",
    )


class ForumMemberLeaveForm(GovukFormMixin, forms.Form):
    left_on = DateField(label="Date they left", required=True)


class TimeField(forms.TimeField):
    widget = forms.TimeInput(attrs={"type": "time", "class": "govuk-input"}, format="%H:%M")
    input_formats = ["%H:%M", "%H.%M", "%H:%M:%S"]

    def __init__(self, *, label, **kwargs):
        messages = {"invalid": f"Enter the {label.lower()} as a time, like 17:30."}
        super().__init__(label=label, required=False, error_messages=messages, **kwargs)


class MeetingForm(GovukFormMixin, forms.Form):
    date = DateField(label="Date of the meeting", required=True)
    starts_at = TimeField(label="Start time (optional)")
    ends_at = TimeField(label="End time (optional)")
    place = forms.CharField(
        label="Where",
        required=False,
        max_length=160,
        help_text="The venue, like the Youth Hub, Room 2. Leave empty for a meeting online only.",
    )
    online = forms.BooleanField(
        label="The meeting is online, or people can join online", required=False
    )
    agenda = forms.CharField(label="Agenda (optional)", required=False, widget=forms.Textarea)
    minutes = forms.CharField(
        label="Minutes (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="Leave an empty line between paragraphs.",
    )
    summary = forms.CharField(
        label="Summary for the young people (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="What was talked about and decided, in plain words you can share back with them.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("agenda", "summary"):
            self.fields[name].widget.attrs["rows"] = 4
        self.fields["minutes"].widget.attrs["rows"] = 8

    @staticmethod
    def initial_for(meeting) -> dict:
        return {name: getattr(meeting, name) for name in MeetingForm.base_fields}


class MeetingGuestForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name (optional)", required=False, max_length=120)
    role = forms.CharField(
        label="Role or title",
        max_length=160,
        help_text="Like Director of Children's Services, or Lead Member for Children.",
        error_messages={"required": "Enter their role or title."},
    )


class VisitorForm(ChoicesExplained, GovukFormMixin, forms.Form):
    young_person = forms.ModelChoiceField(
        label="Young person who came",
        queryset=YoungPerson.objects.none(),
        error_messages={"required": "Choose the young person who came."},
    )

    def __init__(self, *args, young_people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["young_person"].queryset = young_people.order_by(
            "preferred_name", "reference", "pk"
        )
        self.fields["young_person"].label_from_instance = lambda yp: (
            f"{yp.preferred_name} ({yp.reference})"
        )


class AskForm(ChoicesExplained, GovukFormMixin, forms.Form):
    you_said = forms.CharField(
        label="What did the forum ask for?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text='In the young people\'s words if you can: this is the "you said".',
        error_messages={"required": "Enter what the forum asked for."},
    )
    raised_on = DateField(label="Date raised", required=True)
    meeting = forms.ModelChoiceField(
        label="At which meeting? (optional)", queryset=Meeting.objects.none(), required=False
    )
    addressed_to = forms.ModelChoiceField(
        label="Who is it for in the council?",
        queryset=YoungPerson.objects.none(),
        required=False,
        help_text="They see it on their home page and are reminded before it is due.",
    )
    addressed_to_role = forms.CharField(
        label="Or a role outside Heard",
        required=False,
        max_length=160,
        help_text="Like Lead Member for Children, or the Chair of the Corporate Parenting Board.",
    )
    due_on = DateField(label="Answer due by (optional)")

    def __init__(self, *args, meetings, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: f"{m.date:%-d %B %Y}"
        self.fields["addressed_to"].queryset = people
        self.fields["addressed_to"].label_from_instance = lambda u: u.full_name or u.email


class AskAnswerForm(ChoicesExplained, GovukFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="What is the answer?",
        choices=[
            (Ask.Status.ANSWERED, "Done: we did what they asked"),
            (Ask.Status.PARTLY_DONE, "Partly done"),
            (Ask.Status.NOT_POSSIBLE, "Not possible"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose done, partly done or not possible."},
    )
    response = forms.CharField(
        label="What was done, or why it is not possible",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text='Write it so it can be read out to the young people: this is the "we did".',
        error_messages={"required": "Enter what was done, or why it is not possible."},
    )
    make_you_said = forms.BooleanField(
        label="Add it to 'you said, we did' (done or partly done only)", required=False
    )
    publish = forms.BooleanField(
        label="Publish it on the council's public 'you said, we did' page", required=False
    )


class ConsultationRequestForm(ChoicesExplained, GovukFormMixin, forms.Form):
    topic = forms.CharField(
        label="What do you want to consult them about?",
        max_length=200,
        error_messages={"required": "Enter what you want to consult the forum about."},
    )
    reason = forms.CharField(
        label="Why, and what will change because of what they say?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why, and what will change because of what they say."},
    )
    needed_by = DateField(label="Date you need their views by", required=True)
    format = forms.ChoiceField(
        label="How would you like to consult them?",
        choices=ConsultationRequest.Format.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you would like to consult them."},
    )


class ConsultationDecisionForm(ChoicesExplained, GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="What is your decision?",
        choices=[
            ("accept", "Accept"),
            ("schedule", "Schedule it into a meeting"),
            ("decline", "Decline"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose accept, decline or schedule into a meeting."},
    )
    meeting = forms.ModelChoiceField(
        label="Meeting (when scheduling)", queryset=Meeting.objects.none(), required=False
    )
    decline_reason = forms.CharField(
        label="Reason (when declining)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The person who asked will see this.",
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: f"{m.date:%-d %B %Y}"


class ConsultationOutcomeForm(GovukFormMixin, forms.Form):
    forum_said = forms.CharField(
        label="What did the forum say?",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="This is sent back to the person who asked.",
        error_messages={"required": "Enter what the forum said."},
    )


class ForumAdultForm(ChoicesExplained, GovukFormMixin, forms.Form):
    user = forms.ModelChoiceField(
        label="A member of staff", queryset=YoungPerson.objects.none(), required=False
    )
    name = forms.CharField(
        label="Or the name of someone from outside the council",
        required=False,
        max_length=120,
        help_text="Like a worker from the advocacy service.",
    )
    organisation = forms.CharField(label="Organisation (optional)", required=False, max_length=160)
    role = forms.ChoiceField(
        label="Role",
        choices=ForumMember.Role.choices,
        widget=forms.RadioSelect,
        initial=ForumMember.Role.MEMBER,
        error_messages={"required": "Choose their role on the forum."},
    )
    board = forms.CharField(
        label="Board (for a representative)",
        required=False,
        max_length=120,
        help_text="Leave empty for the Corporate Parenting Board.",
    )
    joined_on = DateField(label="Date they joined", required=True)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff
        self.fields["user"].label_from_instance = lambda u: u.full_name or u.email


class WorkItemForm(ChoicesExplained, GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="What will the forum work on?",
        max_length=200,
        error_messages={"required": "Enter what the forum will work on."},
    )
    description = forms.CharField(
        label="More detail (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = DateField(label="Start date (optional)")
    due_on = DateField(label="Finish by (optional)")
    status = forms.ChoiceField(
        label="Status",
        choices=WorkItem.Status.choices,
        widget=forms.RadioSelect,
        initial=WorkItem.Status.PLANNED,
        error_messages={"required": "Choose a status."},
    )
    objective = forms.ModelChoiceField(
        label="Strategy objective it serves (optional)",
        queryset=Meeting.objects.none(),
        required=False,
    )

    def __init__(self, *args, objectives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = objectives
        self.fields["objective"].label_from_instance = lambda o: f"{o.strategy.title}: {o}"


class TermsOfReferenceForm(GovukFormMixin, forms.Form):
    text = forms.CharField(
        label="Terms of reference",
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": "Enter the terms of reference."},
    )
    agreed_on = DateField(label="Date agreed", required=True)
    review_on = DateField(label="Review by", required=True)
