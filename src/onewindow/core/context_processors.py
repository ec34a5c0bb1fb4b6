from django.conf import settings


def onewindow(request):
    return {"ONEWINDOW": settings.ONEWINDOW}
