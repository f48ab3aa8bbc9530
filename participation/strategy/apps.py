from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "participation.strategy"
    label = "strategy"
    verbose_name = "Strategy and action plans"
