"""Cache invalidation: whatever changes what an anonymous visitor of the public site sees bumps the
content version (:mod:`cms.cache`), so cached notice lists and whole cached pages go stale at once.

Publish, unpublish, move and delete of any page; saving or deleting a view restriction (a page
turned private must never be served from the cache), a site, a site setting, a document or an image
(attachment titles and sizes, the maker-contest banner). Receivers do nothing else.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import BaseViewRestriction, Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.cache import bump_content_version

CONTENT_MODELS = (
    Page,
    BaseViewRestriction,
    Site,
    BaseSiteSetting,
    BaseGenericSetting,
    AbstractDocument,
    AbstractImage,
)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def invalidate_on_publish_or_move(sender, instance, **kwargs):
    bump_content_version()


@receiver(post_save)
def invalidate_on_save(sender, instance, created=False, **kwargs):
    # saving a Page is not publishing it (drafts, revisions): only publish/unpublish/move count.
    # A settings row is created with its defaults the first time a page reads it: nothing changes.
    if isinstance(instance, Page) or (
        created and isinstance(instance, (BaseSiteSetting, BaseGenericSetting))
    ):
        return
    if isinstance(instance, CONTENT_MODELS):
        bump_content_version()


@receiver(post_delete)
def invalidate_on_delete(sender, instance, **kwargs):
    if isinstance(instance, CONTENT_MODELS):
        bump_content_version()
