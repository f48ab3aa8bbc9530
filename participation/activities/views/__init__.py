"""participation.activities.views, in one module per section."""

from participation.activities.views.activities import (  # noqa: F401
    IMPORT_KIND,
    IMPORT_SESSION_KEY,
    _activity_form_page,
    _import,
    _pending,
    _query,
    _require_edit,
    _show_errors,
    activity_create,
    activity_delete,
    activity_detail,
    activity_duplicate,
    activity_edit,
    activity_export,
    activity_import,
    activity_import_checked,
    activity_import_columns,
    activity_import_sample,
    activity_list,
    participation_edit,
)
from participation.activities.views.lists import (  # noqa: F401
    _list_item_toggle,
    council_lists,
    kind_toggle,
    service_area_toggle,
)
from participation.activities.views.reach import (  # noqa: F401
    _quarter,
    cohort_sizes,
    reach,
)
from participation.activities.views.young_people import (  # noqa: F401
    TIMELINE_PAGE,
    young_person_create,
    young_person_delete,
    young_person_detail,
    young_person_edit,
    young_person_list,
)
