from django.urls import path, re_path

from . import views
from .doors import to_allauth

app_name = "accounts"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    # Libraries' own sign-in and password-reset views, in front of which these stand (accounts/doors.py).
    path("admin/login/", to_allauth("account_login"), name="admin_login_door"),
    path("_util/login/", to_allauth("account_login"), name="private_page_login_door"),
    re_path(r"^admin/password_reset/", to_allauth("account_reset_password"), name="admin_password_reset_door"),
]
