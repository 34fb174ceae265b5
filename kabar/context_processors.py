from django.http import HttpRequest
from django.utils.functional import cached_property

from kabar.selectors import jumlah_belum_dibaca


class BelumDibaca:
    """The unread count beside the bell, counted only when a page shows it."""

    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def jumlah(self) -> int:
        return jumlah_belum_dibaca(self.user)

    @property
    def dihitung(self) -> bool:
        return "jumlah" in self.__dict__

    def __bool__(self) -> bool:
        return self.jumlah > 0

    def __str__(self) -> str:
        return str(self.jumlah)


def kabar(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # One per request: panels rendered inside the page run the context processors again.
    belum = getattr(request, "kabar_belum_dibaca", None)
    if belum is None:
        belum = BelumDibaca(user)
        request.kabar_belum_dibaca = belum  # type: ignore[attr-defined]  # read by the middleware
    return {"kabar_belum_dibaca": belum}
