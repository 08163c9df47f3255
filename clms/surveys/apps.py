from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "clms.surveys"

    def ready(self) -> None:
        # The yearly report's survey paragraph and figures (clms.reports.hooks).
        from clms.surveys import reporting

        reporting.register()
