"""``{% filing_levels enterprise user %}``: the 企业申报 module of the centre's landing page.

The centre (``portal.enterprises``) knows nothing of filings; its template places this module,
whose data come from :func:`portal.filings.selectors.level_entries`.
"""

from django import template

from portal.filings.selectors import level_entries

register = template.Library()


@register.inclusion_tag("filings/_filing_levels.html")
def filing_levels(enterprise, user):
    return {"entries": level_entries(enterprise, user)}


@register.inclusion_tag("filings/_home_filing_levels.html")
def home_filing_levels(user):
    """The home page's 企业申报 entries for a signed-in user: their province's windows."""
    from portal.enterprises.selectors import enterprise_for_user

    enterprise = enterprise_for_user(user)
    return {
        "entries": level_entries(enterprise, user) if enterprise is not None else [],
        "enterprise": enterprise,
    }
