from django import template

from reporting import charts

register = template.Library()


@register.simple_tag
def face(level, size=32):
    """{% face 4 %}: the face for a level of the five-point scale, drawn by reporting/charts.py."""
    return charts.face(level, size=size)
