from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demonstration data and the scale generator: the top of the house, nothing imports it."""

    name = "clms.demo"
    label = "demo"
