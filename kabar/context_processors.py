from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from kabar.selectors import jumlah_belum_dibaca


def kabar(request: HttpRequest) -> dict:
    """The unread count beside the bell; counted only when a page shows the navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"kabar_belum_dibaca": SimpleLazyObject(lambda: jumlah_belum_dibaca(user))}
