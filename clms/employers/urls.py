from django.urls import URLPattern

app_name = "employers"
urlpatterns: list[URLPattern] = []
