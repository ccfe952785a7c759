"""The 公示 period starts when its notice is published (by an editor, or on schedule): a reaction
to the CMS's ``page_published``, kept out of the CMS, which knows nothing of recognition."""

from __future__ import annotations

from django.dispatch import receiver
from django.utils import timezone
from wagtail.signals import page_published

from cms.models import NoticePage

from . import services
from .models import Publicity


@receiver(page_published, sender=NoticePage)
def start_publicity_on_publish(sender, instance, **kwargs):
    for publicity in Publicity.objects.filter(notice_id=instance.pk, state=Publicity.State.DRAFT):
        services.start_publicity_period(publicity=publicity, on=timezone.localdate())
