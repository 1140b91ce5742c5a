from django.db import models


class Sector(models.Model):
    """A policy area challenges and companies are tagged with (health, transport, …)."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
