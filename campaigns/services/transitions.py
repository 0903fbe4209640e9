"""The one door every campaign status change goes through (DESIGN.md, Campaign life)."""

from django.db import transaction

from campaigns.exceptions import CampaignMoveNotAllowed
from campaigns.models import Campaign, CampaignEvent
from kernel.sentences import Sentence

S = Campaign.Status

ALLOWED: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.PUBLISHED}),
    # Back to draft only while nobody holds units (services/campaigns.unpublish_campaign).
    S.PUBLISHED: frozenset({S.DRAFT, S.IN_PRODUCTION, S.FAILED, S.CANCELLED}),
    S.IN_PRODUCTION: frozenset({S.READY, S.CANCELLED}),
    S.READY: frozenset({S.SHIPPING, S.CANCELLED}),
    S.SHIPPING: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset(),
    S.FAILED: frozenset(),
    S.CANCELLED: frozenset(),
}

# Publishing and unpublishing have their own words on the timeline; the rest are decisions.
_KIND = {
    (S.DRAFT, S.PUBLISHED): CampaignEvent.Kind.PUBLISHED,
    (S.PUBLISHED, S.DRAFT): CampaignEvent.Kind.UNPUBLISHED,
}


@transaction.atomic
def move_campaign(
    *, campaign: Campaign, to: str, actor=None, note: Sentence | str = ""
) -> Campaign:
    """Move the campaign to status `to` and write the event; the row is locked and re-read
    first, so two people deciding at once decide once. Returns the fresh campaign."""
    current = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if to not in ALLOWED[current.status]:
        raise CampaignMoveNotAllowed(current, to)
    CampaignEvent.objects.create(
        campaign=current,
        kind=_KIND.get((current.status, to), CampaignEvent.Kind.STATUS),
        from_status=current.status,
        to_status=to,
        actor=actor,
        note=note,
    )
    current.status = to
    current.save(update_fields=["status", "updated_at"])
    campaign.status = to
    return current
