"""The home page keeps its global name (`home`): every page links to it."""

from django.urls import path

from onewindow.portal.views import home

urlpatterns = [
    path("", home.home, name="home"),
]
