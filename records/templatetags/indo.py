"""Indonesian dates: "7 April 2022", "Kamis, 7 April 2022" (in English when the UI is)."""

from decimal import Decimal

from django import template
from django.utils.dateformat import format as date_format
from django.utils.formats import number_format

register = template.Library()


@register.filter
def tanggal(value):
    return date_format(value, "j F Y") if value else ""


@register.filter
def hari_tanggal(value):
    return date_format(value, "l, j F Y") if value else ""


@register.filter
def jp(value):
    """JP as the official forms write them: "2", "2,4" (one decimal only when there is one)."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else 1
    return number_format(value, places)
