from django.urls import path

from tksk import views

app_name = "tksk"

urlpatterns = [
    path("kegiatan/", views.KegiatanListView.as_view(), name="kegiatan_list"),
    path("kegiatan/baru/", views.KegiatanCreateView.as_view(), name="kegiatan_create"),
    path("kegiatan/<int:pk>/", views.KegiatanDetailView.as_view(), name="kegiatan_detail"),
    path("kegiatan/<int:pk>/aksi/", views.KegiatanActionView.as_view(), name="kegiatan_action"),
    path("kegiatan/<int:pk>/foto/", views.KegiatanFotoView.as_view(), name="kegiatan_foto"),
    path("keluarga/<int:pk>/kunjungan/", views.KunjunganCepatView.as_view(), name="kunjungan_create"),
    path("agenda/", views.AgendaView.as_view(), name="agenda"),
    path("beban-kerja/", views.BebanKerjaView.as_view(), name="beban_kerja"),
    path("psks/", views.PsksListView.as_view(), name="psks_list"),
    path("psks/baru/", views.PsksFormView.as_view(), name="psks_create"),
    path("psks/<int:pk>/ubah/", views.PsksFormView.as_view(), name="psks_update"),
    path("laporan/", views.LaporanListView.as_view(), name="laporan_list"),
    path("laporan/<str:kode>/<str:bulan>/", views.LaporanView.as_view(), name="laporan_detail"),
]
