from django.urls import path

from onewindow.messaging import views

app_name = "messaging"

urlpatterns = [
    path("messages/parked/", views.parked, name="parked"),
    path("messages/parked/<int:message_id>/retry/", views.retry, name="retry"),
    path("messages/inbox/", views.inbox, name="inbox"),
    path("messages/sms/inbound/", views.sms_inbound, name="sms_inbound"),
    path("messages/exchange/", views.exchange, name="exchange"),
]
