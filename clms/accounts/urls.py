from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from clms.accounts import views, views_users
from clms.accounts.forms import LoginForm

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm),
        name="login",
    ),
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
    path("users/", views.user_list, name="users"),
    path("users/new/", views_users.user_create, name="user_create"),
    path("users/<int:pk>/", views_users.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", views_users.user_active, name="user_active"),
    path("users/<int:pk>/password/", views_users.user_reset_password, name="user_reset_password"),
]
