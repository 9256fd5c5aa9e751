"""Who changed what, and when, for every client-owned record."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from ciodesk.tenancy.scoping import ClientOwned


class ChangeRecord(ClientOwned):
    class Action(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"
        DELETED = "deleted", "Deleted"

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(
        max_length=200, help_text="The user's name at the time, or the command that did it."
    )
    action = models.CharField(max_length=8, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    changes = models.JSONField(
        default=dict, help_text="{field label: [before, after]} as shown to people."
    )

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["client", "content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    @property
    def kind(self) -> str:
        return self.content_type.model_class()._meta.verbose_name if self.content_type_id else ""
