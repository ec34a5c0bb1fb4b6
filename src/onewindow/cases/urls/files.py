from django.urls import path

from onewindow.cases.views import files

urlpatterns = [
    path(
        "workspace/cases/<int:case_id>/documents/upload/",
        files.document_upload,
        name="document_upload",
    ),
    path(
        "workspace/cases/<int:case_id>/documents/reuse/",
        files.document_reuse,
        name="document_reuse",
    ),
    path(
        "workspace/cases/<int:case_id>/documents/<int:document_id>/file/",
        files.document_file,
        name="document_file",
    ),
]
