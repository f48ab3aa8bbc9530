from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    # Feedback forms, public links, safeguarding alerts and "you said, we did" (issue 5).
    name = "feedback"
    verbose_name = "Feedback"
