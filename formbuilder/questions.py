"""An application form as data: sections of typed questions, and the declarations ticked at submission.

A form is stored as plain JSON (`FormSpec.to_data()`), frozen in every `FormVersion` and in every submitted
`ApplicationVersion`, so a page showing an old version reads *its* questions, never today's. This module is pure
Python: it knows no model, so the builder, the migration test and the apply pages share one definition of what each
question type accepts.

Answers are what was typed: a string per question (a list of strings for multiple choice). Drafts keep whatever was
typed, even a number that is not one; `FormSpec.problems` says what stops a submission, question by question.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.html import conditional_escape

# type: the label staff see in the builder. Sections and declarations are not questions.
TYPES = {
    "short_text": "Short text",
    "long_text": "Long text",
    "number": "Number",
    "money": "Money",
    "date": "Date",
    "choice": "Single choice",
    "choices": "Multiple choice",
    "yes_no": "Yes or no",
    "email": "Email address",
    "url": "Web address",
    "file": "File upload",
}
# The file types a file question may allow (what applications.uploads checks by content), by extension.
FILE_KINDS = {"pdf": "PDF", "docx": "DOCX", "odt": "ODT", "pptx": "PPTX"}
FILE_MAX_MB = 20
SHORT_TEXT_MAX = 250
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
KEY_RULE = "Start with a lowercase letter; then lowercase letters, digits and underscores, 50 characters at most."
# Names the section page's own form already uses (its buttons, the CSRF token, the autosave post).
RESERVED_KEYS = {"action", "csrfmiddlewaretoken", "text"}
YES_NO = ("Yes", "No")


def _as_text(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)


def word_count(text) -> int:
    return len(re.findall(r"\S+", _as_text(text)))


@dataclass(frozen=True)
class Condition:
    """Shown only when an earlier question's answer is `equals` (or, for multiple choice, includes it)."""

    question: str
    equals: str

    def met(self, answers: Mapping) -> bool:
        answer = answers.get(self.question)
        if isinstance(answer, list):
            return self.equals in answer
        return (answer or "").strip() == self.equals

    def to_data(self) -> dict:
        return {"question": self.question, "equals": self.equals}


def _condition(data) -> Condition | None:
    return Condition(data["question"], data["equals"]) if data else None


@dataclass(frozen=True)
class Question:
    key: str
    type: str
    label: str
    help_text: str = ""
    required: bool = True
    word_limit: int | None = None  # long text
    choices: tuple[str, ...] = ()  # single and multiple choice
    minimum: Decimal | None = None  # number and money
    maximum: Decimal | None = None
    file_kinds: tuple[str, ...] = ()  # file: extensions allowed (FILE_KINDS); all when empty
    max_mb: int | None = None  # file: largest size allowed, in MB
    show_if: Condition | None = None

    @classmethod
    def from_data(cls, data: Mapping) -> "Question":
        number = {name: Decimal(data[name]) for name in ("minimum", "maximum") if data.get(name) not in (None, "")}
        return cls(
            key=data["key"],
            type=data["type"],
            label=data["label"],
            help_text=data.get("help_text", ""),
            required=data.get("required", True),
            word_limit=data.get("word_limit"),
            choices=tuple(YES_NO if data["type"] == "yes_no" else data.get("choices", ())),
            file_kinds=tuple(data.get("file_kinds", ())),
            max_mb=data.get("max_mb"),
            show_if=_condition(data.get("show_if")),
            **number,
        )

    def to_data(self) -> dict:
        data: dict[str, Any] = {
            "key": self.key,
            "type": self.type,
            "label": self.label,
            "help_text": self.help_text,
            "required": self.required,
        }
        if self.word_limit is not None:
            data["word_limit"] = self.word_limit
        if self.choices and self.type != "yes_no":
            data["choices"] = list(self.choices)
        for name in ("minimum", "maximum"):
            if getattr(self, name) is not None:
                data[name] = str(getattr(self, name))
        if self.type == "file":
            data["file_kinds"] = list(self.file_kinds)
            data["max_mb"] = self.max_mb
        if self.show_if:
            data["show_if"] = self.show_if.to_data()
        return data

    # --- the form field the applicant fills in -------------------------------------------------------------

    @property
    def hint(self) -> str:
        """The help text and, where there is one, the limit, as the applicant reads them under the label."""
        parts = [self.help_text] if self.help_text else []
        if self.word_limit:
            parts.append(f"{self.word_limit} words or fewer.")
        if self.type == "file":
            parts.append(f"A {self.kinds_text} file, {self.largest_mb} MB or smaller.")
        return " ".join(parts)

    @property
    def kinds_text(self) -> str:
        names = [FILE_KINDS[kind] for kind in (self.file_kinds or FILE_KINDS) if kind in FILE_KINDS]
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"

    @property
    def largest_mb(self) -> int:
        return min(self.max_mb or FILE_MAX_MB, FILE_MAX_MB)

    def form_field(self, attrs: dict | None = None, condition: str = "") -> forms.Field:
        """A field that accepts anything typed (drafts keep it all): every rule is checked by `problem`. `condition`
        (FormSpec.condition_text) is said in the hint: without JavaScript every question shows, with when it applies."""
        # Escaped here: the field component prints help text as HTML, and this text is written by staff and sponsors.
        hint = conditional_escape(" ".join(part for part in (condition, self.hint) if part))
        attrs = attrs or {}
        options = [(c, c) for c in self.choices]
        common: dict[str, Any] = {"label": self.label, "required": False, "help_text": hint}
        if self.type == "long_text":
            return forms.CharField(strip=False, widget=forms.Textarea(attrs={"rows": 12, **attrs}), **common)
        if self.type in ("choice", "yes_no"):
            return forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
        if self.type == "choices":
            return forms.MultipleChoiceField(choices=options, widget=forms.CheckboxSelectMultiple, **common)
        if self.type == "file":
            accept = ",".join(f".{kind}" for kind in (self.file_kinds or FILE_KINDS))
            return forms.FileField(widget=forms.FileInput(attrs={"accept": accept}), **common)
        return forms.CharField(strip=False, widget=self._text_input(attrs), **common)

    def _text_input(self, attrs: dict) -> forms.TextInput:
        kinds = {
            "email": ("email", "email"),
            "url": ("url", "url"),
            "date": ("text", "off"),
            "number": ("text", "off"),
            "money": ("text", "off"),
            "short_text": ("text", "off"),
        }
        input_type, autocomplete = kinds[self.type]
        widget_attrs = {"autocomplete": autocomplete, **attrs}
        if self.type in ("number", "money"):
            widget_attrs["inputmode"] = "decimal"
        widget = forms.TextInput(attrs=widget_attrs)
        widget.input_type = input_type
        return widget

    # --- the rules a submission must meet ---------------------------------------------------------------------

    def problem(self, answer) -> str:
        """Why this answer cannot be submitted ("" when it can). Unanswered optional questions are fine."""
        text = _as_text(answer).strip()
        if not text:
            if not self.required:
                return ""
            return f"Upload a file for “{self.label}”." if self.type == "file" else f"Answer “{self.label}”."
        return self.format_problem(answer)

    def format_problem(self, answer) -> str:
        """What is wrong with a given answer's form, ignoring whether one was required."""
        text = _as_text(answer).strip()
        if not text:
            return ""
        kind = self.type
        if isinstance(answer, list) and kind != "choices":
            if kind in ("choice", "yes_no"):
                return f"“{self.label}”: choose one of the options."
            return f"“{self.label}” must be a single answer."
        if kind == "long_text" and self.word_limit and (words := word_count(text)) > self.word_limit:
            return f"“{self.label}” must be {self.word_limit} words or fewer (it has {words})."
        if kind == "short_text" and len(text) > SHORT_TEXT_MAX:
            return f"“{self.label}” must be {SHORT_TEXT_MAX} characters or fewer (it has {len(text)})."
        if kind in ("number", "money"):
            return self._number_problem(text)
        if kind == "date":
            try:
                parse_date(text)
            except ValueError:
                return f"“{self.label}” must be a real date, like 27 3 2027 or 27/03/2027."
        if kind in ("choice", "yes_no") and text not in self.choices:
            return f"“{self.label}”: choose one of the options."
        if kind == "choices":
            chosen = answer if isinstance(answer, list) else [answer]
            if any(item not in self.choices for item in chosen):
                return f"“{self.label}”: choose from the options."
        if kind == "email":
            try:
                EmailValidator()(text)
            except ValidationError:
                return f"“{self.label}” must be an email address, like name@example.com."
        if kind == "url":
            try:
                URLValidator(schemes=["https", "http"])(text)
            except ValidationError:
                return f"“{self.label}” must be a web address, like https://www.example.com."
        return ""

    def _number_problem(self, text: str) -> str:
        cleaned = text.replace(",", "").removeprefix("£").strip() if self.type == "money" else text.replace(",", "")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            example = "like 1500 or 1,500.50" if self.type == "money" else "like 12 or 3.5"
            return f"“{self.label}” must be a number, {example}."
        if self.type == "money" and value.as_tuple().exponent < -2:  # type: ignore[operator]
            return f"“{self.label}” must be in pounds and pence, with no more than two decimal places."
        if self.minimum is not None and value < self.minimum:
            return f"“{self.label}” must be {self.minimum} or more."
        if self.maximum is not None and value > self.maximum:
            return f"“{self.label}” must be {self.maximum} or less."
        return ""

    def display(self, answer) -> str:
        """The answer as a reader sees it ("" when unanswered)."""
        return _as_text(answer)


def parse_date(text: str) -> date:
    """A date typed as day month year, separated by spaces, slashes, dots or dashes (27 3 2027, 27/03/2027), or as
    ISO (2027-03-27). Raises ValueError."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        return date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
    parts = re.split(r"[\s/.\-]+", text)
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        raise ValueError(text)
    day, month, year = (int(part) for part in parts)
    if year < 1000:
        raise ValueError(text)
    return date(year, month, day)


@dataclass(frozen=True)
class Section:
    """A task in the applicant's task list: one page of questions."""

    key: str
    title: str
    guidance: str = ""
    questions: tuple[Question, ...] = ()
    show_if: Condition | None = None

    @classmethod
    def from_data(cls, data: Mapping) -> "Section":
        return cls(
            key=data["key"],
            title=data["title"],
            guidance=data.get("guidance", ""),
            questions=tuple(Question.from_data(q) for q in data.get("questions", ())),
            show_if=_condition(data.get("show_if")),
        )

    def to_data(self) -> dict:
        data: dict[str, Any] = {
            "key": self.key,
            "title": self.title,
            "guidance": self.guidance,
            "questions": [question.to_data() for question in self.questions],
        }
        if self.show_if:
            data["show_if"] = self.show_if.to_data()
        return data


@dataclass(frozen=True)
class Declaration:
    key: str
    label: str


@dataclass(frozen=True)
class FormSpec:
    sections: tuple[Section, ...] = ()
    declarations: tuple[Declaration, ...] = ()
    _by_key: dict = field(default_factory=dict, compare=False, repr=False, hash=False)

    def __post_init__(self):
        for section in self.sections:
            for question in section.questions:
                self._by_key[question.key] = (section, question)

    @classmethod
    def from_data(cls, data: Mapping | None) -> "FormSpec":
        found = data or {}
        return cls(
            sections=tuple(Section.from_data(s) for s in found.get("sections", ())),
            declarations=tuple(Declaration(d["key"], d["label"]) for d in found.get("declarations", ())),
        )

    def to_data(self) -> dict:
        return {
            "sections": [section.to_data() for section in self.sections],
            "declarations": [{"key": d.key, "label": d.label} for d in self.declarations],
        }

    # --- looking things up ----------------------------------------------------------------------------------

    def questions(self) -> Iterable[Question]:
        for section in self.sections:
            yield from section.questions

    def question(self, key: str) -> Question | None:
        found = self._by_key.get(key)
        return found[1] if found else None

    def section(self, key: str) -> Section | None:
        return next((section for section in self.sections if section.key == key), None)

    def section_of(self, question_key: str) -> Section | None:
        found = self._by_key.get(question_key)
        return found[0] if found else None

    def label_of(self, question_key: str) -> str:
        question = self.question(question_key)
        return question.label if question else question_key

    # --- conditions -------------------------------------------------------------------------------------------

    def applies(self, item: Question | Section, answers: Mapping, _seen: frozenset = frozenset()) -> bool:
        """Whether a question or section is asked, given the answers so far: its condition (and its section's, and
        those of the questions its condition reads) met. Conditions point only at earlier questions (validate_spec);
        a chain that comes back on itself in a form that was never validated is treated as not asked."""
        if id(item) in _seen:
            return False
        seen = _seen | {id(item)}
        if item.show_if is not None:
            if not item.show_if.met(answers):
                return False
            source = self.question(item.show_if.question)
            if source is not None and not self.applies(source, answers, seen):
                return False
        if isinstance(item, Question):
            section = self.section_of(item.key)
            if section is not None and not self.applies(section, answers, seen):
                return False
        return True

    def condition_text(self, item: Question | Section) -> str:
        """When a question or section applies, in the applicant's words ("" when always)."""
        if item.show_if is None:
            return ""
        return f"Only if you answered “{self.label_of(item.show_if.question)}” with “{item.show_if.equals}”."

    def problems(self, answers: Mapping) -> dict[str, str]:
        """Every reason the answers cannot be submitted, by question key, in form order. A question whose condition
        is not met is not asked, so nothing about it stops a submission."""
        found = {}
        for question in self.questions():
            if self.applies(question, answers) and (problem := question.problem(answers.get(question.key))):
                found[question.key] = problem
        return found

    def answered(self, answers: Mapping) -> dict:
        """What a submission freezes: the answer to every question asked ("" when an optional one was left), in form
        order. Answers to questions not asked stay in the working copy, in case the applicant changes their mind."""
        return {q.key: answers.get(q.key, "") for q in self.questions() if self.applies(q, answers)}

    def shown(self, answers: Mapping) -> list[dict]:
        """The sections asked and, in each, the questions asked with their answers, as a reader sees them."""
        return [
            {
                "title": section.title,
                "answers": [
                    (question.label, question.display(answers.get(question.key)))
                    for question in section.questions
                    if self.applies(question, answers)
                ],
            }
            for section in self.sections
            if self.applies(section, answers)
        ]


def validate_spec(spec: FormSpec) -> list[str]:
    """What makes a form unusable, in words staff can act on: duplicate or malformed keys, choice questions with no
    options, conditions pointing at a question that does not come earlier or at an answer it cannot have."""
    errors = []
    seen: dict[str, Question] = {}
    section_keys: set[str] = set()

    def check_condition(owner: str, condition: Condition | None) -> None:
        if condition is None:
            return
        source = seen.get(condition.question)
        if source is None:
            errors.append(f"{owner}: its condition must point at an earlier question (“{condition.question}” is not).")
        elif source.choices and condition.equals not in source.choices:
            errors.append(
                f"{owner}: “{source.label}” cannot be answered “{condition.equals}” "
                f"(its options are {', '.join(source.choices)})."
            )

    if not spec.sections:
        errors.append("Add at least one section with a question.")
    for section in spec.sections:
        if not KEY_PATTERN.match(section.key):
            errors.append(f"Section “{section.title}”: key “{section.key}”: {KEY_RULE}")
        if section.key in section_keys:
            errors.append(f"Section “{section.title}”: the key “{section.key}” is used by another section.")
        section_keys.add(section.key)
        check_condition(f"Section “{section.title}”", section.show_if)
        if not section.questions:
            errors.append(f"Section “{section.title}” has no questions.")
        for question in section.questions:
            owner = f"Question “{question.label}”"
            if not KEY_PATTERN.match(question.key):
                errors.append(f"{owner}: key “{question.key}”: {KEY_RULE}")
            if question.key in RESERVED_KEYS:
                errors.append(f"{owner}: the key “{question.key}” is reserved; choose another.")
            if question.key in seen:
                errors.append(f"{owner}: the key “{question.key}” is used by another question.")
            if question.type not in TYPES:
                errors.append(f"{owner}: unknown type “{question.type}”.")
            if question.type in ("choice", "choices") and len(question.choices) < 2:
                errors.append(f"{owner}: give at least two options.")
            if len(set(question.choices)) != len(question.choices):
                errors.append(f"{owner}: each option must be different.")
            if question.type == "file" and not set(question.file_kinds) <= set(FILE_KINDS):
                errors.append(f"{owner}: files can only be {', '.join(FILE_KINDS.values())}.")
            if question.type == "file" and question.max_mb is not None and not 1 <= question.max_mb <= FILE_MAX_MB:
                errors.append(f"{owner}: the largest file allowed must be between 1 and {FILE_MAX_MB} MB.")
            if question.minimum is not None and question.maximum is not None and question.minimum > question.maximum:
                errors.append(f"{owner}: the lowest value allowed is above the highest.")
            check_condition(owner, question.show_if)
            seen[question.key] = question
    declaration_keys = [d.key for d in spec.declarations]
    if len(set(declaration_keys)) != len(declaration_keys) or set(declaration_keys) & set(seen):
        errors.append("Each declaration needs a key no other declaration or question uses.")
    return errors
