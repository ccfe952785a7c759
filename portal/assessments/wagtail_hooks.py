from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_assessment_log_actions(actions):
    actions.register_action("assessments.start", _("开始数字化水平评测"), _("开始了数字化水平评测"))
    actions.register_action("assessments.submit", _("提交数字化水平评测"), _("提交了数字化水平评测"))
