"""The committed schema is the code's schema: a change to the API must change api/schema.yaml
in the same commit (regenerate with `manage.py spectacular --file api/schema.yaml`)."""

import re
from io import StringIO
from pathlib import Path

from django.core.management import call_command

COMMITTED = Path(__file__).resolve().parents[2] / "api" / "schema.yaml"


def test_committed_schema_matches_the_code():
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert out.getvalue() == COMMITTED.read_text(), (
        "api/schema.yaml differs from the code's schema: run "
        "`manage.py spectacular --file api/schema.yaml` and commit it"
    )


def test_the_schema_is_served_and_names_every_route(client):
    from api.urls import council_api

    text = client.get("/api/v1/schema/").content.decode()
    for pattern in council_api:
        route = re.sub(r"<int:(\w+)>", r"{\1}", str(pattern.pattern))
        assert f"/api/v1/c/{{council_slug}}/{route}:" in text, route
