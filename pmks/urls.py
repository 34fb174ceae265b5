from django.urls import path

from pmks import views

app_name = "pmks"

urlpatterns = [
    path("beranda/", views.DashboardView.as_view(), name="dashboard"),
    path("keluarga/", views.KeluargaListView.as_view(), name="keluarga_list"),
    path("keluarga/baru/", views.KeluargaFormView.as_view(), name="keluarga_create"),
    path("keluarga/<int:pk>/", views.KeluargaDetailView.as_view(), name="keluarga_detail"),
    path("keluarga/<int:pk>/ubah/", views.KeluargaFormView.as_view(), name="keluarga_update"),
    path(
        "keluarga/<int:pk>/pmks/baru/",
        views.CatatanPmksCreateView.as_view(),
        name="catatanpmks_create",
    ),
    path("pmks/", views.CatatanPmksListView.as_view(), name="catatanpmks_list"),
    path(
        "pmks/<int:pk>/keputusan/",
        views.CatatanPmksDecisionView.as_view(),
        name="catatanpmks_decide",
    ),
]
