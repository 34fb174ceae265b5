from django.urls import path

from musyawarah import views

app_name = "musyawarah"

urlpatterns = [
    path("", views.MusyawarahListView.as_view(), name="list"),
    path("baru/", views.MusyawarahFormView.as_view(), name="create"),
    path("<int:pk>/", views.MusyawarahDetailView.as_view(), name="detail"),
    path("<int:pk>/ubah/", views.MusyawarahFormView.as_view(), name="update"),
    path("<int:pk>/berita-acara/", views.BeritaAcaraView.as_view(), name="berita_acara"),
    path("<int:pk>/scan/unggah/", views.ScanUploadView.as_view(), name="scan_upload"),
    path("<int:pk>/scan/", views.ScanView.as_view(), name="scan"),
]
