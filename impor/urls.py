from django.urls import path

from impor import views
from impor.models import JenisImpor

app_name = "impor"

urlpatterns = [
    path("", views.ImporView.as_view(), name="unggah"),
    path("bantuan-luar/", views.ImporView.as_view(jenis=JenisImpor.EKSTRAK), name="unggah_ekstrak"),
    path("desil/", views.ImporView.as_view(jenis=JenisImpor.DESIL), name="unggah_desil"),
    path("templat/", views.TemplatView.as_view(), name="templat"),
    path(
        "templat/bantuan-luar/", views.TemplatView.as_view(jenis=JenisImpor.EKSTRAK), name="templat_ekstrak"
    ),
    path("templat/desil/", views.TemplatView.as_view(jenis=JenisImpor.DESIL), name="templat_desil"),
    path("<int:pk>/", views.ImporDetailView.as_view(), name="detail"),
    path("<int:pk>/ditolak/", views.ImporDitolakView.as_view(), name="ditolak"),
]
