from django.urls import path

from onewindow.cases import views_files

urlpatterns = [
    path(
        "workspace/cases/<int:case_id>/documents/upload/",
        views_files.document_upload,
        name="document_upload",
    ),
    path(
        "workspace/cases/<int:case_id>/documents/reuse/",
        views_files.document_reuse,
        name="document_reuse",
    ),
    path(
        "workspace/cases/<int:case_id>/documents/<int:document_id>/file/",
        views_files.document_file,
        name="document_file",
    ),
]
