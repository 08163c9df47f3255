from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Decree 13/2023/NĐ-CP duties: data-subject export, consent withdrawal, retention."""

    name = "clms.privacy"
    verbose_name = _("Personal data protection")
