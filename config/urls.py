from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from accounts.forms import LoginForm

admin.site.site_header = _("SIKS TKSK — Administrasi")
admin.site.site_title = _("SIKS TKSK")
admin.site.index_title = _("Data dan pengaturan")

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="pmks:dashboard", permanent=False), name="home"),
    path("masuk/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("pmks.urls")),
    path("musyawarah/", include("musyawarah.urls")),
    path("bantuan/", include("bantuan.urls")),
    path("kabar/", include("kabar.urls")),
    path("tksk/", include("tksk.urls")),
    path("", include("warga.urls")),  # /publik/ (citizens, no login) and /warga/ (staff)
    path("laporan/", include("laporan.urls")),
    path("impor/", include("impor.urls")),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages (the admin's) that do not declare an icon.
    path(
        "favicon.ico",
        login_not_required(RedirectView.as_view(url=f"{settings.STATIC_URL}img/favicon.svg", permanent=True)),
        name="favicon",
    ),
]
