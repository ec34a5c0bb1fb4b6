from django.contrib import admin

from onewindow.messaging.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("key", "channel", "template", "state", "attempts", "next_at", "sent_at")
    list_filter = ("channel", "state", "template")
    search_fields = ("key",)
    readonly_fields = [f.name for f in Message._meta.fields]
