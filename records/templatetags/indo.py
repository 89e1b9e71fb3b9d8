"""Indonesian dates: "7 April 2022", "Kamis, 7 April 2022" (in English when the UI is)."""

from django import template
from django.utils.dateformat import format as date_format

register = template.Library()


@register.filter
def tanggal(value):
    return date_format(value, "j F Y") if value else ""


@register.filter
def hari_tanggal(value):
    return date_format(value, "l, j F Y") if value else ""
