from django.urls import path, register_converter

from warga import views
from warga.pengaman import ALFABET


class KodePublikasi:
    """A publication's public code; anything else (a NUL byte, a guess of another shape) is 404
    before it reaches the database."""

    regex = f"[{ALFABET}]{{12}}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class TokenBaris(KodePublikasi):
    regex = "[0-9a-f]{20}"


register_converter(KodePublikasi, "kodepub")
register_converter(TokenBaris, "baris")

app_name = "warga"

urlpatterns = [
    # Citizens, no login.
    path("publik/", views.publik_index, name="publik_index"),
    path("publik/cek/", views.cek_penerima, name="publik_cek"),
    path("publik/usul/", views.usul, name="publik_usul"),
    path("publik/sanggah/<kodepub:kode>/<baris:baris>/", views.sanggah, name="publik_sanggah"),
    path("publik/tiket/", views.tiket, name="publik_tiket"),
    path("publik/daftar/", views.daftar_index, name="publik_daftar_index"),
    path("publik/daftar/<kodepub:kode>/", views.daftar_detail, name="publik_daftar"),
    path("publik/daftar/<kodepub:kode>/cetak/", views.daftar_cetak, name="publik_cetak"),
    # Staff.
    path("warga/", views.AduanListView.as_view(), name="aduan_list"),
    path("warga/<int:pk>/", views.AduanDetailView.as_view(), name="aduan_detail"),
    path("warga/<int:pk>/periksa/", views.aduan_periksa, name="aduan_periksa"),
    path("warga/ringkasan/", views.RingkasanView.as_view(), name="ringkasan"),
    path("warga/publikasi/", views.PublikasiView.as_view(), name="publikasi"),
    path("warga/publikasi/terbitkan/", views.publikasi_terbit, name="publikasi_terbit"),
    path("warga/publikasi/<int:pk>/tarik/", views.publikasi_tarik, name="publikasi_tarik"),
]
