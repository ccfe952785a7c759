"""``archive_replaced(sender, old, new)``: sent inside the transaction in which a replacement
archive passed inspection, just before ``old`` is deleted. A filing draft that holds ``old``
points itself at ``new`` here (the filing model will connect a receiver)."""

from django.dispatch import Signal

archive_replaced = Signal()
