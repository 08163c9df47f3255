from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "clms.employers"
