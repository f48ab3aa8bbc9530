"""participation.activities.forms, in one module per section."""

from participation.activities.forms.activities import (  # noqa: F401
    ActivityFilterForm,
    ActivityForm,
    RecognitionForm,
)
from participation.activities.forms.common import (  # noqa: F401
    CHOOSE_FROM_LIST,
    MAX_PEOPLE,
    ChoicesExplained,
    DateField,
    _count_field,
    _narrow,
)
from participation.activities.forms.lists import (  # noqa: F401
    KindAddForm,
    ServiceAreaAddForm,
)
from participation.activities.forms.young_people import (  # noqa: F401
    CohortSizeForm,
    YoungPersonForm,
)
