from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "onewindow.evaluation"
    label = "evaluation"
    verbose_name = "好差评"
