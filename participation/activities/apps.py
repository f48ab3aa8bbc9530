from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "participation.activities"
    label = "activities"
    verbose_name = "Activities and young people"
