from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.forms import LoginForm

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="pmks:dashboard", permanent=False), name="home"),
    path("masuk/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("pmks.urls")),
    path("admin/", admin.site.urls),
]
