from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from clms.accounts import views, views_login, views_two_factor, views_users

app_name = "accounts"
urlpatterns = [
    path("login/", views_login.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        views_users.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:password_done"),
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_done.html"),
        name="password_done",
    ),
    path("two-factor/", views_two_factor.two_factor_status, name="two_factor"),
    path("two-factor/setup/", views_two_factor.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", views_two_factor.two_factor_verify, name="two_factor_verify"),
    path("two-factor/disable/", views_two_factor.two_factor_disable, name="two_factor_disable"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views_users.user_create, name="user_create"),
    path("users/<int:pk>/", views_users.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", views_users.user_active, name="user_active"),
    path("users/<int:pk>/password/", views_users.user_reset_password, name="user_reset_password"),
]
