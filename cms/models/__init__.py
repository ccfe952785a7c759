"""CMS models: the page types of the public site and its site settings.

Tree: Root → HomePage (site root, one) → NoticeIndexPage (/notices/) → NoticePage,
HomePage → FAQPage (/faq/), HomePage → HelpPage → HelpPage.
"""

from .content import FAQPage, HelpPage
from .pages import HomePage, NoticeAttachment, NoticeIndexPage, NoticeLevel, NoticePage
from .site_settings import PortalSettings

__all__ = [
    "FAQPage",
    "HelpPage",
    "HomePage",
    "NoticeAttachment",
    "NoticeIndexPage",
    "NoticeLevel",
    "NoticePage",
    "PortalSettings",
]
