"""``{% assessment_module enterprise %}``: the 数字化水平评测 module of the centre's landing page.

The centre (``portal.enterprises``) knows nothing of assessments; its template places this module,
whose data come from :func:`portal.assessments.selectors.assessment_overview`.
"""

from django import template

from portal.assessments.selectors import assessment_overview

register = template.Library()


@register.inclusion_tag("assessments/_centre_module.html")
def assessment_module(enterprise):
    return {"overview": assessment_overview(enterprise, history=False)}
