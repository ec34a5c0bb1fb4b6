from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "onewindow.evaluation"
    label = "evaluation"
    verbose_name = "好差评"

    def ready(self):
        from onewindow.core import partitions, rollups, sweeps
        from onewindow.evaluation import rollups as review_rollups
        from onewindow.evaluation.sweep import sweep

        sweeps.register("evaluation", sweep)
        rollups.register("evaluation", review_rollups.rebuild)
        partitions.register("evaluation_review", "created_at")
