"""The round's admin form: its pipeline of stages checked as a whole, and a new round started from a template."""

from dataclasses import asdict

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from formbuilder.models import ApplicationForm
from pipelines.models import PipelineTemplate
from pipelines.spec import SETTINGS, Stage, problems

from .models import RoundStage

STAGE_FIELDS = ("kind", "name", "starts", "ends", *SETTINGS)
TOO_LATE = "The template's stages would run past the year 9999 from that date: choose an earlier date."


class RoundAdminForm(WagtailAdminModelForm):
    template = forms.ModelChoiceField(
        PipelineTemplate.objects.all(),
        required=False,
        label="Start from a template",
        help_text="Its stages are laid out from the date the call opens, below; adjust them after saving. Leave "
        "empty to add the stages yourself.",
    )
    template_call_opens = forms.DateTimeField(
        required=False, label="Call opens", help_text="Needed with a template: when its call for applications opens."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.laid_out: list[Stage] = []
        if self.instance.pk:  # a template starts a round; an existing round's stages are edited one by one
            del self.fields["template"], self.fields["template_call_opens"]

    def _entered_stages(self) -> list[Stage] | None:
        """The stages as entered, in their order, or None when a stage's own fields are invalid (their errors show)."""
        formset = self.formsets["stages"]
        if not formset.is_valid():
            return None
        kept = [f for f in formset.forms if f.has_changed() or f.instance.pk]
        kept = [f for f in kept if not (formset.can_delete and formset._should_delete_form(f))]
        if formset.can_order:
            kept.sort(key=lambda f: (f.cleaned_data.get("ORDER") is None, f.cleaned_data.get("ORDER") or 0))
        stages = []
        for f in kept:
            data = {name: f.cleaned_data.get(name) for name in STAGE_FIELDS if name != "form_id"}
            form = f.cleaned_data.get("form")
            stages.append(Stage(**{key: ("" if value is None and key in _TEXT else value) for key, value in
                                   data.items()}, form_id=form.pk if form else None))  # fmt: skip
        return stages

    def clean(self):
        cleaned = super().clean()
        stages = self._entered_stages()
        if stages is None:
            return cleaned
        template = cleaned.get("template")
        if template is not None:
            opens = cleaned.get("template_call_opens")
            if stages:
                self.add_error("template", "Either start from a template or add stages yourself, not both.")
                return cleaned
            if opens is None:
                self.add_error("template_call_opens", "Enter when the call opens, to lay out the template's stages.")
                return cleaned
            chosen = cleaned.get("application_form") or ApplicationForm.objects.filter(is_default=True).first()
            try:
                stages = self.laid_out = template.lay_out(opens, form_id=chosen.pk if chosen else None)
            except OverflowError:
                self.add_error("template_call_opens", TOO_LATE)
                return cleaned
        for problem in problems(stages):
            self.add_error(None, problem.message)
        return cleaned

    def save(self, commit=True):
        instance = super().save(commit=False)
        if self.laid_out:
            instance.stages = [RoundStage(sort_order=i, **asdict(stage)) for i, stage in enumerate(self.laid_out)]
        if commit:
            instance.save()
            self.save_m2m()
        return instance


_TEXT = {"name", "payment_basis", "deliverables", "method", "kind"}
