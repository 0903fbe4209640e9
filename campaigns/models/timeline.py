"""Timelines: append-only events (the campaign's here; the order's in orders), and the updates
a seller posts to a campaign's buyers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models.campaigns import Campaign
from kernel.sentences import SentenceField


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The timeline is append-only.")

    def delete(self):
        raise TypeError("The timeline is append-only.")


class TimelineEvent(models.Model):
    """A step of a timeline: written once by a service, never changed or deleted."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    # What happened, kept as words and values so each reader reads it in their language.
    note = SentenceField(_("note"))
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The timeline is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The timeline is append-only.")


class CampaignEvent(TimelineEvent):
    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")
        STATUS = "status", _("Decision")
        NOTE = "note", _("Note")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    from_status = models.CharField(max_length=20, choices=Campaign.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Campaign.Status.choices, blank=True)

    class Meta(TimelineEvent.Meta):
        verbose_name = _("campaign event")
        verbose_name_plural = _("campaign events")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} · {self.get_kind_display()}"


class Announcement(models.Model):
    """An update the seller sends to every buyer of a campaign ("the fabric arrived")."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="announcements")
    text = models.TextField(_("update"), max_length=1000)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="announcement_text_not_empty")
        ]

    def __str__(self):
        return f"{self.campaign_id}: {self.text[:40]}"
