from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class StatementQuerySet(models.QuerySet):
    def published(self) -> "StatementQuerySet":
        return self.filter(is_published=True)


class Statement(models.Model):
    """An archived public statement, in the language it was published in."""

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    publisher = models.CharField(_("publisher"), max_length=200)
    published_on = models.DateField(_("publication date"))
    language = models.CharField(_("language"), max_length=10, default="en")
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"))
    is_published = models.BooleanField(_("published"), default=False)

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("archive:statement-detail", kwargs={"slug": self.slug})
