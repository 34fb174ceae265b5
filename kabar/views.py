from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from kabar import selectors, services


class KotakMasukView(ListView):
    """Every user's inbox: newest first, unread ones marked; ?belum=1 shows only unread."""

    template_name = "kabar/kotak_masuk.html"
    context_object_name = "notifikasi"
    paginate_by = 30

    def get_queryset(self):
        qs = selectors.kotak_masuk(self.request.user)
        if self.request.GET.get("belum") == "1":
            qs = qs.filter(dibaca_pada__isnull=True)
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["hanya_belum"] = self.request.GET.get("belum") == "1"
        return ctx


def buka(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read and go to the object. Another user's notification, or one about an area the
    user no longer covers, is 404; the object's own page applies its scope again."""
    notifikasi = get_object_or_404(selectors.kotak_masuk(request.user), pk=pk)
    services.tandai_dibaca(user=request.user, notifikasi=notifikasi)
    target = notifikasi.tautan
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None) or not target.startswith("/"):
        target = "/kabar/"
    return HttpResponseRedirect(target)


@require_POST
def semua_dibaca(request: HttpRequest) -> HttpResponse:
    n = services.tandai_semua_dibaca(user=request.user)
    messages.success(request, _("%(n)s pemberitahuan ditandai sudah dibaca.") % {"n": n})
    return redirect("kabar:kotak_masuk")


@require_POST
def atur_email(request: HttpRequest) -> HttpResponse:
    aktif = request.POST.get("aktif") == "1"
    if aktif and not request.user.email:
        messages.error(request, _("Akun Anda belum mempunyai alamat e-mail; minta administrator mengisinya."))
        return redirect("kabar:kotak_masuk")
    services.atur_email(user=request.user, aktif=aktif)
    messages.success(
        request,
        _("Pemberitahuan juga dikirim ke e-mail %(e)s.") % {"e": request.user.email}
        if aktif
        else _("Pemberitahuan hanya di aplikasi (e-mail dimatikan)."),
    )
    return redirect("kabar:kotak_masuk")
