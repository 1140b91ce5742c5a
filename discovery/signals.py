"""Signal handlers only enqueue indexing, on commit; the task decides what changed and what is public.

Publishing and unpublishing come from Wagtail's signals; view restrictions and model changes from
post_save/post_delete of the few models whose public facts appear in documents (see discovery.dependents.WATCHED).
"""

import logging

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from challenges.models import ChallengePage, Round
from civtech.transactions import on_commit_once
from ledger.models import Contract
from organisations.models import Organisation
from sprints.models import Engagement, Lesson

from .tasks import reindex_for_change

logger = logging.getLogger(__name__)


def enqueue(label: str, pk: int) -> None:
    def send() -> None:
        try:
            reindex_for_change.delay(label, pk)
        except Exception:
            logger.exception("Could not enqueue search indexing for %s %s", label, pk)

    on_commit_once(("discovery.reindex", label, pk), send)


def _page_label(page) -> str:
    return "challenges.challengepage" if isinstance(page, ChallengePage) else "wagtailcore.page"


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, instance, **kwargs) -> None:
    enqueue(_page_label(instance), instance.pk)


@receiver(post_delete)
def page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page) and type(instance) is not Page:
        enqueue(_page_label(instance), instance.pk)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def view_restriction_changed(sender, instance, **kwargs) -> None:
    """A restriction added or lifted makes the page and every page below it private or public again (a sponsor
    space's restriction covers all its challenges), with no publish to say so."""
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:  # the page itself is being deleted: page_deleted handles it
        return
    challenges = set(ChallengePage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))
    for pk in Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True):
        enqueue("challenges.challengepage" if pk in challenges else "wagtailcore.page", pk)


@receiver(post_save, sender=ChallengePage)  # e.g. stopped early: its status changes without a publish
@receiver(post_save, sender=Round)
@receiver(post_save, sender=Organisation)
@receiver(post_save, sender=Engagement)
@receiver(post_save, sender=Lesson)
@receiver(post_save, sender=Contract)
def model_saved(sender, instance, **kwargs) -> None:
    enqueue(sender._meta.label_lower, instance.pk)


@receiver(post_delete, sender=Organisation)
def model_deleted(sender, instance, **kwargs) -> None:
    enqueue(sender._meta.label_lower, instance.pk)


@receiver(m2m_changed, sender=Organisation.sectors.through)
def organisation_sectors_changed(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Organisation):
        enqueue("organisations.organisation", instance.pk)
