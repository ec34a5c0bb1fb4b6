from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from onewindow.api import api
from onewindow.core import views as core_views

admin.site.site_header = "一窗通 · 后台管理"
admin.site.site_title = "一窗通后台"
admin.site.index_title = "参考数据管理"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/login/", core_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(template_name="registration/password_change.html"),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("org/", include("onewindow.org.urls")),
    path("", include("onewindow.portal.urls")),
    path("", include("onewindow.oversight.urls")),
    path("", include("onewindow.portal.urls.home")),
    path("", include("onewindow.oversight.urls.site")),
    path("", include("onewindow.catalog.urls")),
    path("hall/", include("onewindow.hall.urls")),
    path("", include("onewindow.cases.urls")),
    path("", include("onewindow.evaluation.urls")),
    path("", include("onewindow.complaints.urls")),
    path("", include("onewindow.messaging.urls")),
    path("", include("onewindow.licences.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler404 = "onewindow.core.views.not_found"
handler500 = "onewindow.core.views.server_error"
