from django.apps import AppConfig


class ReportingConfig(AppConfig):
    # The quarterly governance report and the SVG charts it shares with dashboards.
    name = "reporting"
    verbose_name = "Reporting"
