from django import template

register = template.Library()


@register.simple_tag
def cell_value(row, key):
    """The value of one cell of a table row (rows are dicts keyed by column)."""
    return (row or {}).get(key)
