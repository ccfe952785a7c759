"""Cache invalidation: any publish, unpublish or deletion of a page makes cached notice lists stale.

Signals keep the cache decoupled from the page models; receivers do nothing else.
"""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from cms.selectors import bump_notice_cache_version


@receiver(page_published)
@receiver(page_unpublished)
def invalidate_on_publish(sender, instance, **kwargs):
    bump_notice_cache_version()


@receiver(post_delete)
def invalidate_on_delete(sender, instance, **kwargs):
    if isinstance(instance, Page):
        bump_notice_cache_version()
