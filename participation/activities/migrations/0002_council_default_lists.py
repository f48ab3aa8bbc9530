"""Councils made before the lists were created with the council get the standard kinds of
activity and service areas now, so no page has to write them on a GET. The lists are copied
here as they stood, so this migration does the same whatever the code says later."""

from django.db import migrations

KINDS = [
    ("Consultation or survey", "consultation"),
    ("Focus group", "consultation"),
    ("Co-production event", "co_production"),
    ("Forum meeting", "consultation"),
    ("Recruitment panel", "consultation"),
    ("Young Inspectors visit", "consultation"),
    ("Training by young people", "co_production"),
    ("Takeover day", "co_production"),
    ("Creative workshop", "co_production"),
    ("Contributed to own assessment, plan or review", "individual"),
    ("Chaired own meeting", "individual"),
    ("Advocacy", "individual"),
]
SERVICE_AREAS = [
    "Early Help",
    "Children in need",
    "Child protection",
    "Children in care",
    "Care leavers",
    "Children with disabilities and SEND",
    "Youth service",
    "Residential",
]


def fill_defaults(apps, schema_editor):
    Council = apps.get_model("participation", "Council")
    ActivityKind = apps.get_model("activities", "ActivityKind")
    ServiceArea = apps.get_model("activities", "ServiceArea")
    with_kinds = set(ActivityKind.objects.values_list("council_id", flat=True).distinct())
    with_areas = set(ServiceArea.objects.values_list("council_id", flat=True).distinct())
    for council_id in Council.objects.values_list("pk", flat=True):
        if council_id not in with_kinds:
            ActivityKind.objects.bulk_create(
                ActivityKind(council_id=council_id, name=name, usual_type=kind, position=index)
                for index, (name, kind) in enumerate(KINDS)
            )
        if council_id not in with_areas:
            ServiceArea.objects.bulk_create(
                ServiceArea(council_id=council_id, name=name, position=index)
                for index, name in enumerate(SERVICE_AREAS)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(fill_defaults, migrations.RunPython.noop),
    ]
