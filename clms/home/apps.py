from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The shell around the apps: the home page of each role, the help, the menu and the
    ``{% load access %}`` filters.  It reads the access policy (accounts), so it sits above
    the domain apps; ``core`` underneath stays free of them."""

    name = "clms.home"
    label = "home"
    verbose_name = _("Home")
