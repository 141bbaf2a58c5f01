"""The trace every CSV export of signers or endorsers leaves (petitions/exports.py writes it)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .petition import Petition


class ExportRecord(models.Model):
    """
    One CSV export by a staff member: the list of who signed is dangerous in the wrong hands,
    so every export leaves this trace. Written when the export starts and completed when its
    last row has left (or marked failed if the stream broke). Nobody may add, change or delete
    one, not even a superuser: the admin offers "view" only.
    """

    class Kind(models.TextChoices):
        SIGNATURES = "signatures", _("Signatures")
        ENDORSEMENTS = "endorsements", _("Endorsements")

    class Outcome(models.TextChoices):
        STARTED = "started", _("Started")
        COMPLETE = "complete", _("Complete")
        FAILED = "failed", _("Failed midway")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    petition = models.ForeignKey(
        Petition,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("petition"),
    )
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("exported by"),
    )
    # Kept as text too, so the record still says who and what after a user or petition is gone.
    exported_by_username = models.CharField(_("username"), max_length=150)
    petition_slug = models.CharField(_("petition slug"), max_length=80, blank=True)
    filters = models.JSONField(_("filters"), default=dict)
    columns = models.JSONField(_("columns"), default=list)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.STARTED
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("export record")
        verbose_name_plural = _("export records")
        # Readable, never editable: no add, change or delete permission exists to be granted.
        default_permissions = ["view"]
        # The staff activity page (petitions/staff_activity.py) reads these records with the
        # admin history: who may read what every staff member did, exports included.
        permissions = [("view_staff_activity", _("Can view the staff activity"))]

    def __str__(self) -> str:
        when = f"{self.started_at:%Y-%m-%d %H:%M}"
        return f"{self.get_kind_display()} {self.petition_slug or '-'} {when}"

    def finish(self, *, rows: int, failed: bool = False) -> None:
        self.row_count, self.finished_at = rows, timezone.now()
        self.outcome = self.Outcome.FAILED if failed else self.Outcome.COMPLETE
        self.save(update_fields=["row_count", "finished_at", "outcome"])
