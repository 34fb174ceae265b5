from django.urls import path

from bantuan import views

app_name = "bantuan"

urlpatterns = [
    path("program/", views.ProgramListView.as_view(), name="program_list"),
    path("usulan/", views.UsulanListView.as_view(), name="usulan_list"),
    path("usulan/massal/", views.UsulanMassalView.as_view(), name="usulan_massal"),
    path("usulan/<int:pk>/batal/", views.UsulanCancelView.as_view(), name="usulan_cancel"),
    path("usulan/<int:pk>/kutip-musyawarah/", views.UsulanCiteView.as_view(), name="usulan_cite"),
    path("keluarga/<int:pk>/usulkan/", views.UsulanCreateView.as_view(), name="usulan_create"),
    path("daftar/", views.DaftarListView.as_view(), name="daftar_list"),
    path("tahap/<int:pk>/susun/", views.DaftarBuildView.as_view(), name="daftar_build"),
    path("daftar/<int:pk>/", views.DaftarDetailView.as_view(), name="daftar_detail"),
    path("daftar/<int:pk>/aksi/", views.DaftarActionView.as_view(), name="daftar_action"),
    path("daftar/<int:pk>/lampiran-sk/", views.LampiranSkView.as_view(), name="lampiran_sk"),
    path("entri/<int:pk>/salurkan/", views.PenyaluranCreateView.as_view(), name="penyaluran_create"),
    path("penyaluran/<int:pk>/", views.PenyaluranDetailView.as_view(), name="penyaluran_detail"),
    path("penyaluran/<int:pk>/jadwal/", views.PemantauanScheduleView.as_view(), name="pemantauan_schedule"),
    path("foto/<str:jenis>/<int:pk>/<str:field>/", views.FotoView.as_view(), name="foto"),
    path("tahap/<int:pk>/berita-acara/<str:kode>/", views.BeritaAcaraView.as_view(), name="berita_acara"),
    path("pemantauan/", views.PemantauanListView.as_view(), name="pemantauan_list"),
    path("pemantauan/<int:pk>/", views.PemantauanRecordView.as_view(), name="pemantauan_record"),
    path("laporan/tumpang-tindih/", views.LaporanTumpangTindihView.as_view(), name="laporan_tumpang_tindih"),
    path("luar/", views.LuarView.as_view(), name="luar"),
    path("luar/ekstrak/<int:pk>/", views.EkstrakDetailView.as_view(), name="ekstrak_detail"),
    path("luar/belum-terdaftar/", views.BelumTerdaftarView.as_view(), name="belum_terdaftar"),
    path("luar/penerima/<int:pk>/masalah/", views.MasalahCreateView.as_view(), name="masalah_create"),
    path("luar/masalah/", views.MasalahListView.as_view(), name="masalah_list"),
    path("luar/cek-desil/", views.CekDesilView.as_view(), name="cek_desil"),
    path("laporan/belum-menerima/", views.LaporanBelumMenerimaView.as_view(), name="laporan_belum_menerima"),
]
