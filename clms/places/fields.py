"""Form fields for picking places: a village always names its commune, and the list follows
the commune picked in the same form (``static/clms/clms.js`` hides the other communes' villages)."""

from __future__ import annotations

from typing import Any

from django import forms

from clms.places.models import AdminUnit


def village_label(unit: AdminUnit) -> str:
    """ "Thôn 1 – Xã Thọ Bình": 48 villages are called "Thôn 1…6", the commune tells them apart."""
    parent = unit.parent if unit.parent_id else None
    return f"{unit.name} – {parent.name}" if parent is not None else unit.name


class VillageSelect(forms.Select):
    """A select whose options carry their commune, so the page can show only that commune's."""

    def __init__(self, *args: Any, commune_field: str = "commune", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attrs.setdefault("data-villages-of", commune_field)

    def create_option(self, name: str, value: Any, label: Any, selected: Any, index: int, subindex: int | None = None, attrs: Any = None) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None and getattr(instance, "parent_id", None):
            option["attrs"]["data-commune"] = str(instance.parent_id)
        return option


class VillageChoiceField(forms.ModelChoiceField[AdminUnit]):
    """A village, labelled with its commune; filtered on the page by the form's commune field."""

    def __init__(self, *args: Any, commune_field: str = "commune", **kwargs: Any) -> None:
        kwargs.setdefault("queryset", AdminUnit.objects.none())
        kwargs.setdefault("widget", VillageSelect(commune_field=commune_field))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: AdminUnit) -> str:
        return village_label(obj)

    def _set_queryset(self, queryset: Any) -> None:
        # The labels read the parent: fetch it with the villages, not once per option.
        super()._set_queryset(None if queryset is None else queryset.all().select_related("parent"))  # type: ignore[misc]

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)  # type: ignore[attr-defined,assignment,misc,unused-ignore]
