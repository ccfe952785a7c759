from django import template

register = template.Library()


@register.simple_tag
def cell_value(row, key):
    """The value of one cell of a table row (rows are dicts keyed by column)."""
    return (row or {}).get(key)


@register.simple_tag
def rule_warnings(result):
    """Cross-field rules the answers so far break (from a stored score: ``issues`` with a rule code,
    and the consistency ``warnings``)."""
    result = result or {}
    return [i for i in result.get("issues", []) if str(i.get("code", "")).startswith("rule_")] + list(
        result.get("warnings", [])
    )
