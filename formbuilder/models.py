"""Application forms as data, and their versions.

`ApplicationForm` is what staff edit in the builder. A `FormVersion` is a frozen copy of its questions: every
application records the version it was started on, and every submitted version of an application stores the exact
questions it answered. Saving a form that no application has used yet updates its latest version; saving one that
has been used makes a new version, so nothing filled in on an earlier form can be damaged by an edit.
"""

from django.db import models, transaction
from wagtail.fields import StreamField

from .blocks import FormStreamBlock, spec_data
from .questions import FormSpec


class ApplicationForm(models.Model):
    name = models.CharField(max_length=150, unique=True)
    description = models.TextField(blank=True, help_text="What this form is for, for staff (applicants never see it).")
    content = StreamField(FormStreamBlock(), verbose_name="questions")
    is_default = models.BooleanField(
        default=False, editable=False, help_text="Used by every round that has no form of its own."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=models.Q(is_default=True), name="one_default_form")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        with transaction.atomic():  # the version is written with the form, or neither is
            super().save(*args, **kwargs)
            self.freeze()

    @classmethod
    def default(cls) -> "ApplicationForm":
        return cls.objects.get(is_default=True)

    def freeze(self) -> "FormVersion":
        """The version that holds the form's questions as they are now: the latest, if it has the same questions or
        has never been used; otherwise a new one."""
        data = spec_data(self.content)
        # The form's row is the lock: two staff saving at once make their versions one after the other.
        ApplicationForm.objects.select_for_update().filter(pk=self.pk).exists()
        latest = self.versions.order_by("-number").first()
        if latest is not None and latest.questions == data:
            return latest
        if latest is not None and not latest.in_use():
            latest.questions = data
            latest.save(update_fields=["questions"])
            return latest
        return FormVersion.objects.create(form=self, number=(latest.number + 1) if latest else 1, questions=data)

    def current_version(self) -> "FormVersion":
        """The version new applications start on."""
        latest = self.versions.order_by("-number").first()
        return latest if latest is not None else self.freeze()


class FormVersion(models.Model):
    """A form's questions, frozen. Never edited once an application has used it."""

    form = models.ForeignKey(ApplicationForm, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    questions = models.JSONField(help_text="formbuilder.questions.FormSpec data.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["form", "number"]
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="unique_form_version")]

    def __str__(self) -> str:
        return f"{self.form} (version {self.number})"

    @property
    def spec(self) -> FormSpec:
        cached = getattr(self, "_spec", None)
        if cached is None:
            cached = self._spec = FormSpec.from_data(self.questions)
        return cached

    def in_use(self) -> bool:
        """Whether any application (draft or submitted) was started on it: its questions are then fixed. The
        relations are the applications app's; asked by name, as this app sits below it."""
        return self.applications.exists() or self.submitted_versions.exists()
