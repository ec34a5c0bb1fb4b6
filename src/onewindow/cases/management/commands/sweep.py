from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

# Each entry: a function sweep(now=None) returning a result with .summary().
DEFAULT_SWEEPS = [
    "onewindow.cases.sweep.sweep",
    "onewindow.evaluation.sweep.sweep",
    "onewindow.complaints.sweep.sweep",
]


class Command(BaseCommand):
    help = (
        "Every few minutes: case deadline warnings and alarms, lapsed corrections withdrawn, "
        "online applications deemed accepted; default evaluations and overdue rectifications; "
        "overdue complaints."
    )

    def handle(self, *args, **options):
        for path in getattr(settings, "ONEWINDOW_SWEEPS", DEFAULT_SWEEPS):
            result = import_string(path)()
            self.stdout.write(result.summary())
