"""The forms that ship with Heard, to start a new form from.

The six principles come from the Dudley Children's Services Active Involvement Strategy (2017):
"we will collect feedback from children and young people to find out how well we are achieving
these principles". Wording is kept short and plain for a reading age of about nine.
"""

from feedback.models import FeedbackForm, Question

K = Question.Kind
P = Question.Principle
A = Question.AboutYou

AGE_BANDS = "Under 8\n8 to 10\n11 to 13\n14 to 15\n16 to 17\n18 to 25\nI'd rather not say"

ABOUT_YOU = [
    {"kind": K.SINGLE, "text": "How old are you?", "choices": AGE_BANDS, "about_you": A.AGE},
]

SIX_PRINCIPLES = [
    {"kind": K.FACES, "text": "I am listened to.", "principle": P.LISTENED, "required": True},
    {
        "kind": K.FACES,
        "text": "My worker knows me and understands what I need.",
        "principle": P.KNOWN,
    },
    {"kind": K.FACES, "text": "I am part of decisions about me.", "principle": P.INVOLVED},
    {
        "kind": K.FACES,
        "text": "Grown-ups do what they say they will do, and tell me what is happening.",
        "principle": P.INFORMED,
    },
    {"kind": K.FACES, "text": "The help I get is good for me.", "principle": P.GOOD_SERVICE},
    {
        "kind": K.FACES,
        "text": "I have been asked how things could be made better.",
        "principle": P.IMPROVE,
    },
]

TEMPLATES = {
    "six_principles": {
        "title": "How are we doing? The six 'I' principles",
        "intro": "Tell us how it feels to get help from us. There are no right or wrong answers.",
        "audience": FeedbackForm.Audience.YOUNG_PEOPLE,
        "service_area": FeedbackForm.ServiceArea.OTHER,
        "questions": [
            *SIX_PRINCIPLES,
            {"kind": K.LONG_TEXT, "text": "Is there anything else you want to tell us?"},
            *ABOUT_YOU,
        ],
    },
    "six_monthly": {
        "title": "Six-monthly feedback",
        "intro": "Every six months we ask how things are going. It takes about five minutes.",
        "audience": FeedbackForm.Audience.YOUNG_PEOPLE,
        "service_area": FeedbackForm.ServiceArea.CHILDREN_IN_CARE,
        "questions": [
            *SIX_PRINCIPLES,
            {
                "kind": K.SCALE,
                "text": "How happy are you with where you live? (0 is not at all, 10 is very)",
            },
            {"kind": K.YES_NO, "text": "Do you know how to contact your worker?"},
            {"kind": K.LONG_TEXT, "text": "What is going well?"},
            {"kind": K.LONG_TEXT, "text": "What could be better?"},
            *ABOUT_YOU,
        ],
    },
    "cp_conference": {
        "title": "After your child protection conference",
        "intro": "You had a meeting about you. We want to know what it was like for you.",
        "audience": FeedbackForm.Audience.YOUNG_PEOPLE,
        "service_area": FeedbackForm.ServiceArea.CHILD_PROTECTION,
        "questions": [
            {
                "kind": K.YES_NO,
                "text": "Did someone explain the meeting to you before it happened?",
            },
            {"kind": K.YES_NO, "text": "Were your views shared in the meeting?"},
            {
                "kind": K.FACES,
                "text": "How did you feel about the meeting?",
                "principle": P.LISTENED,
            },
            {
                "kind": K.SINGLE,
                "text": "How did you share your views?",
                "choices": "I went to the meeting\nMy worker shared them\n"
                "An advocate shared them\nI wrote or drew something\nI didn't share them",
            },
            {"kind": K.FACES, "text": "I understand the plan for me.", "principle": P.INVOLVED},
            {"kind": K.LONG_TEXT, "text": "What would make these meetings better?"},
            *ABOUT_YOU,
        ],
    },
    "exit_interview": {
        "title": "Leaving our service",
        "intro": "Your time with us is ending. Please tell us what it was like.",
        "audience": FeedbackForm.Audience.YOUNG_PEOPLE,
        "service_area": FeedbackForm.ServiceArea.OTHER,
        "questions": [
            {"kind": K.SCALE, "text": "How much did we help? (0 is not at all, 10 is a lot)"},
            {
                "kind": K.FACES,
                "text": "The help I got was good for me.",
                "principle": P.GOOD_SERVICE,
            },
            {"kind": K.YES_NO, "text": "Do you know where to get help in the future?"},
            {"kind": K.LONG_TEXT, "text": "What helped the most?"},
            {"kind": K.LONG_TEXT, "text": "What should we do differently?"},
            *ABOUT_YOU,
        ],
    },
    "children_in_care": {
        "title": "Children in care survey",
        "intro": "Every year we ask children in care about their lives. Your answers help us "
        "make things better for you and others.",
        "audience": FeedbackForm.Audience.CHILDREN,
        "service_area": FeedbackForm.ServiceArea.CHILDREN_IN_CARE,
        "questions": [
            {"kind": K.FACES, "text": "How do you feel about where you live?"},
            {"kind": K.YES_NO, "text": "Do you feel safe where you live?", "alert_on": "No"},
            {"kind": K.YES_NO, "text": "Do you have a trusted adult?"},
            {"kind": K.FACES, "text": "How are things at school or college?"},
            {
                "kind": K.MULTIPLE,
                "text": "Who do you get to see as much as you want?",
                "choices": "Mum\nDad\nBrothers and sisters\nGrandparents\nFriends\nPets",
            },
            {"kind": K.FACES, "text": "My social worker listens to me.", "principle": P.LISTENED},
            {"kind": K.LONG_TEXT, "text": "If you could change one thing, what would it be?"},
            *ABOUT_YOU,
            {
                "kind": K.SINGLE,
                "text": "Do you have a disability?",
                "choices": "Yes\nNo\nI'd rather not say",
                "about_you": A.EQUALITY,
            },
        ],
    },
    "iro": {
        "title": "Your Independent Reviewing Officer (IRO)",
        "intro": "Your IRO runs your reviews. Tell us how they are doing.",
        "audience": FeedbackForm.Audience.YOUNG_PEOPLE,
        "service_area": FeedbackForm.ServiceArea.CHILDREN_IN_CARE,
        "questions": [
            {"kind": K.YES_NO, "text": "Do you know who your IRO is?"},
            {"kind": K.YES_NO, "text": "Did your IRO talk to you before your review?"},
            {"kind": K.FACES, "text": "My IRO listens to me.", "principle": P.LISTENED},
            {"kind": K.FACES, "text": "I have a say in my review.", "principle": P.INVOLVED},
            {"kind": K.SHORT_TEXT, "text": "One word to describe your IRO."},
            {"kind": K.LONG_TEXT, "text": "What could your IRO do better?"},
            *ABOUT_YOU,
        ],
    },
}
