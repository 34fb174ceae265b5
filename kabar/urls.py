from django.urls import path

from kabar import views

app_name = "kabar"

urlpatterns = [
    path("", views.KotakMasukView.as_view(), name="kotak_masuk"),
    path("<int:pk>/", views.buka, name="buka"),
    path("semua-dibaca/", views.semua_dibaca, name="semua_dibaca"),
    path("email/", views.atur_email, name="atur_email"),
]
