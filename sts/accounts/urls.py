from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("signin/", views.SignInView.as_view(), name="login"),
    path("signout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.ChangePasswordView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password/reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("security/", views.security, name="security"),
    path("security/<int:pk>/group/", views.set_user_group, name="set_group"),
    path("security/<int:pk>/unlock/", views.unlock_user, name="unlock"),
    path("security/<int:pk>/sites/", views.set_site_access, name="site_access"),
    path("security/<int:pk>/password/", views.reset_user_password, name="reset_password"),
    path("security/<int:pk>/active/", views.set_user_active, name="set_active"),
]
