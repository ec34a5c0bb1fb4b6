from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "onewindow.files"
    label = "files"
    verbose_name = "文件"

    def ready(self):
        from onewindow.core import sweeps
        from onewindow.files import checks  # noqa: F401  (registers the system check)
        from onewindow.files.orphans import sweep

        sweeps.register("files", sweep)
