from django.urls import path

from onewindow.catalog import views_search

urlpatterns = [
    path("matters/", views_search.matter_list, name="matter_list"),
]
