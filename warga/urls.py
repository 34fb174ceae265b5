from django.urls import path

from warga import views

app_name = "warga"

urlpatterns = [
    # Citizens, no login.
    path("publik/", views.publik_index, name="publik_index"),
    path("publik/cek/", views.cek_penerima, name="publik_cek"),
    path("publik/usul/", views.usul, name="publik_usul"),
    path("publik/sanggah/<str:kode>/<str:baris>/", views.sanggah, name="publik_sanggah"),
    path("publik/tiket/", views.tiket, name="publik_tiket"),
    path("publik/daftar/", views.daftar_index, name="publik_daftar_index"),
    path("publik/daftar/<str:kode>/", views.daftar_detail, name="publik_daftar"),
    path("publik/daftar/<str:kode>/cetak/", views.daftar_cetak, name="publik_cetak"),
    # Staff.
    path("warga/", views.AduanListView.as_view(), name="aduan_list"),
    path("warga/<int:pk>/", views.AduanDetailView.as_view(), name="aduan_detail"),
    path("warga/<int:pk>/periksa/", views.aduan_periksa, name="aduan_periksa"),
    path("warga/ringkasan/", views.RingkasanView.as_view(), name="ringkasan"),
    path("warga/publikasi/", views.PublikasiView.as_view(), name="publikasi"),
    path("warga/publikasi/terbitkan/", views.publikasi_terbit, name="publikasi_terbit"),
    path("warga/publikasi/<int:pk>/tarik/", views.publikasi_tarik, name="publikasi_tarik"),
]
