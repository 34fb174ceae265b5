from django.urls import path

from impor import views

app_name = "impor"

urlpatterns = [
    path("", views.ImporView.as_view(), name="unggah"),
    path("templat/", views.TemplatView.as_view(), name="templat"),
    path("<int:pk>/", views.ImporDetailView.as_view(), name="detail"),
    path("<int:pk>/ditolak/", views.ImporDitolakView.as_view(), name="ditolak"),
]
