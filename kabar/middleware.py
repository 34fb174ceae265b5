from django.utils import timezone

from kabar.models import Notifikasi


class DibacaSaatDibukaMiddleware:
    """Opening a notification's object by any route (a search, the agenda, a link in a list)
    marks the notifications leading to that page read, not only opening them from the inbox.
    Costs a query only on pages of users who still have unread notifications."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        belum = getattr(request, "kabar_belum_dibaca", None)
        if (
            request.method == "GET"
            and response.status_code == 200
            and belum is not None
            and belum.dihitung
            and belum.jumlah > 0
        ):
            Notifikasi.objects.filter(
                penerima=request.user, dibaca_pada__isnull=True, tautan=request.path
            ).update(dibaca_pada=timezone.now())
        return response
