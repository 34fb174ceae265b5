from django.urls import path

from laporan import views

app_name = "laporan"

urlpatterns = [
    path("", views.LaporanIndexView.as_view(), name="index"),
    path("<str:kode>/unduh/", views.LaporanUnduhView.as_view(), name="unduh"),
    path("ekspor/<int:pk>/", views.EksporView.as_view(), name="ekspor"),
    path("ekspor/<int:pk>/berkas/", views.EksporUnduhView.as_view(), name="ekspor_berkas"),
]
