"""Portal URLs: a citizen's account under ``/my/`` (R-CIT-1) and the online questions
under ``/consult/`` (R-CASE-8)."""

from django.urls import path

from onewindow.portal.views import account, consult, messages_choice

urlpatterns: list = [
    path("my/", account.affairs, name="my_affairs"),
    path("my/login/", account.login, name="citizen_login"),
    path("my/logout/", account.logout, name="citizen_logout"),
    path("my/register/", account.register, name="citizen_register"),
    path("my/password/reset/", account.password_reset, name="citizen_password_reset"),
    path("my/claim/", account.claim, name="citizen_claim"),
    path("my/messages/", account.message_choice, name="my_message_choice"),
    path("messages/choice/", messages_choice.choice, name="message_choice"),
    path("my/cases/<int:case_id>/withdraw/", account.withdraw_draft, name="my_withdraw"),
    path("my/cases/<int:case_id>/reuse/", account.reuse_document, name="my_reuse_document"),
    path(
        "my/appointments/<int:appointment_id>/cancel/",
        account.cancel_booking,
        name="my_cancel_booking",
    ),
    path("consult/ask/<int:matter_id>/", consult.ask, name="consult_ask"),
    path("consult/<int:inquiry_id>/", consult.detail, name="consult_detail"),
]
