"""feedback.views, in one module per section."""

from feedback.views.assisted import (  # noqa: F401
    form_assist,
)
from feedback.views.common import (  # noqa: F401
    _confirm,
    _form_url,
    _public_url,
)
from feedback.views.forms import (  # noqa: F401
    form_create,
    form_detail,
    form_edit,
    form_from_template,
    form_list,
    form_publish,
    form_qr,
    form_set_closed,
    link_replace,
)
from feedback.views.questions import (  # noqa: F401
    question_add,
    question_delete,
    question_edit,
    question_move,
)
from feedback.views.results import (  # noqa: F401
    _chosen_version,
    _results_file,
    answer_quote,
    answer_themes,
    form_results,
    form_results_csv,
    form_results_xlsx,
    scorecard,
    text_answers,
)
from feedback.views.safeguarding import (  # noqa: F401
    _require_alert_access,
    alert_detail,
    alert_list,
    contact_remove,
    safeguarding_settings,
)
from feedback.views.you_said import (  # noqa: F401
    you_said_attach,
    you_said_detail,
    you_said_edit,
    you_said_list,
)
