"""The form builder's blocks: staff compose an application form in the admin from sections of question blocks and
the declarations ticked at submission. `spec_from_stream` turns what they composed into the plain `FormSpec` data
that versions freeze; the blocks never reach an applicant's page."""

from django.core.exceptions import ValidationError
from wagtail import blocks

from .questions import FILE_KINDS, FILE_MAX_MB, KEY_PATTERN, KEY_RULE, TYPES, FormSpec, validate_spec


def _key_block(help_text: str) -> blocks.CharBlock:
    return blocks.RegexBlock(
        regex=KEY_PATTERN.pattern,
        max_length=50,
        help_text=help_text,
        error_messages={"invalid": KEY_RULE},
    )


QUESTION_KEY_HELP = (
    "A stable name for this question in exports and the API, such as data_hosting. Keep it when you reword or move "
    "the question."
)


class ConditionBlock(blocks.StructBlock):
    question = blocks.CharBlock(
        required=False, max_length=50, help_text="The key of an earlier question. Leave empty to always ask."
    )
    equals = blocks.CharBlock(required=False, max_length=200, help_text="The answer that makes this apply.")

    class Meta:
        label = "Ask only when"
        form_classname = "struct-block"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("question")) != bool(value.get("equals")):
            raise blocks.StructBlockValidationError(
                block_errors={"equals": ValidationError("Give both the question's key and the answer, or neither.")}
            )
        return value


class QuestionBlock(blocks.StructBlock):
    """What every question has: its label, help, key, whether it must be answered, and when it is asked."""

    label = blocks.CharBlock(max_length=200)
    key = _key_block(QUESTION_KEY_HELP)
    help_text = blocks.TextBlock(required=False, help_text="Guidance shown under the label.")
    required = blocks.BooleanBlock(required=False, default=True, help_text="Must be answered to submit.")
    show_if = ConditionBlock(required=False)

    class Meta:
        question_type = ""  # formbuilder.questions.TYPES

    def spec(self, value) -> dict:
        data = {
            "key": value["key"],
            "type": self.meta.question_type,
            "label": value["label"],
            "help_text": value.get("help_text") or "",
            "required": bool(value.get("required")),
        }
        condition = value.get("show_if") or {}
        if condition.get("question"):
            data["show_if"] = {"question": condition["question"], "equals": condition["equals"]}
        return data


def _simple(type_: str, icon: str) -> QuestionBlock:
    """A question with no settings of its own (short text, date, yes or no, email, web address)."""
    return QuestionBlock(icon=icon, label=TYPES[type_], question_type=type_)


class LongTextQuestionBlock(QuestionBlock):
    word_limit = blocks.IntegerBlock(min_value=1, max_value=5000, default=300)

    class Meta:
        question_type = "long_text"
        icon = "pilcrow"
        label = TYPES["long_text"]

    def spec(self, value) -> dict:
        return {**super().spec(value), "word_limit": value["word_limit"]}


class ChoiceQuestionBlock(QuestionBlock):
    choices = blocks.ListBlock(blocks.CharBlock(max_length=200), min_num=2, label="Options")

    class Meta:
        question_type = "choice"
        icon = "radio-full"
        label = TYPES["choice"]

    def spec(self, value) -> dict:
        return {**super().spec(value), "choices": list(value["choices"])}


class ChoicesQuestionBlock(ChoiceQuestionBlock):
    class Meta:
        question_type = "choices"
        icon = "tick-inverse"
        label = TYPES["choices"]


class NumberQuestionBlock(QuestionBlock):
    minimum = blocks.DecimalBlock(required=False, help_text="The lowest answer allowed, if any.")
    maximum = blocks.DecimalBlock(required=False, help_text="The highest answer allowed, if any.")

    class Meta:
        question_type = "number"
        icon = "order"
        label = TYPES["number"]

    def spec(self, value) -> dict:
        data = super().spec(value)
        for name in ("minimum", "maximum"):
            if value.get(name) is not None:
                data[name] = str(value[name])
        return data


class MoneyQuestionBlock(NumberQuestionBlock):
    class Meta:
        question_type = "money"
        icon = "tag"
        label = TYPES["money"]


class FileQuestionBlock(QuestionBlock):
    file_kinds = blocks.MultipleChoiceBlock(
        choices=list(FILE_KINDS.items()), required=False, label="File types", help_text="Leave empty to allow all."
    )
    max_mb = blocks.IntegerBlock(min_value=1, max_value=FILE_MAX_MB, default=FILE_MAX_MB, label="Largest size (MB)")

    class Meta:
        question_type = "file"
        icon = "doc-full"
        label = TYPES["file"]

    def spec(self, value) -> dict:
        return {**super().spec(value), "file_kinds": list(value.get("file_kinds") or []), "max_mb": value["max_mb"]}


QUESTION_BLOCKS = [
    ("short_text", _simple("short_text", "openquote")),
    ("long_text", LongTextQuestionBlock()),
    ("number", NumberQuestionBlock()),
    ("money", MoneyQuestionBlock()),
    ("date", _simple("date", "date")),
    ("choice", ChoiceQuestionBlock()),
    ("choices", ChoicesQuestionBlock()),
    ("yes_no", _simple("yes_no", "help")),
    ("email", _simple("email", "mail")),
    ("url", _simple("url", "link")),
    ("file", FileQuestionBlock()),
]


class SectionBlock(blocks.StructBlock):
    """One task in the applicant's task list: a page of questions."""

    title = blocks.CharBlock(max_length=200)
    key = _key_block("A stable name for this section, used in its web address, such as data_hosting.")
    guidance = blocks.TextBlock(required=False, help_text="Shown at the top of the section's page.")
    show_if = ConditionBlock(required=False)
    questions = blocks.StreamBlock(QUESTION_BLOCKS, min_num=1)

    class Meta:
        icon = "list-ul"
        label = "Section"


class DeclarationBlock(blocks.StructBlock):
    """A statement the applicant must tick to submit."""

    label = blocks.CharBlock(max_length=300)
    key = _key_block("A stable name for this declaration, such as declare_terms.")

    class Meta:
        icon = "tick"
        label = "Declaration"


class FormStreamBlock(blocks.StreamBlock):
    section = SectionBlock()
    declaration = DeclarationBlock()

    def clean(self, value):
        value = super().clean(value)
        errors = spec_problems(value)
        if errors:
            raise blocks.StreamBlockValidationError(non_block_errors=[ValidationError(error) for error in errors])
        return value


def spec_data(stream) -> dict:
    """The plain data a version freezes, from a composed form (a StreamValue or its cleaned list)."""
    sections, declarations = [], []
    for child in stream:
        value = child.value
        if child.block_type == "section":
            section = {"key": value["key"], "title": value["title"], "guidance": value.get("guidance") or ""}
            section["questions"] = [q.block.spec(q.value) for q in value["questions"]]
            condition = value.get("show_if") or {}
            if condition.get("question"):
                section["show_if"] = {"question": condition["question"], "equals": condition["equals"]}
            sections.append(section)
        elif child.block_type == "declaration":
            declarations.append({"key": value["key"], "label": value["label"]})
    return FormSpec.from_data({"sections": sections, "declarations": declarations}).to_data()


def spec_problems(stream) -> list[str]:
    return validate_spec(FormSpec.from_data(spec_data(stream)))


def stream_data(spec: FormSpec) -> list[dict]:
    """The builder's raw stream for a spec: how the default form, and a copy of any version, is put in the editor."""
    stream: list[dict] = []
    for section in spec.sections:
        questions = []
        for question in section.questions:
            value = {
                "label": question.label,
                "key": question.key,
                "help_text": question.help_text,
                "required": question.required,
                "show_if": question.show_if.to_data() if question.show_if else {"question": "", "equals": ""},
            }
            if question.type == "long_text":
                value["word_limit"] = question.word_limit
            if question.type in ("choice", "choices"):
                value["choices"] = list(question.choices)
            if question.type == "file":
                value.update({"file_kinds": list(question.file_kinds), "max_mb": question.max_mb})
            if question.type in ("number", "money"):
                value.update(
                    {name: str(getattr(question, name)) if getattr(question, name) is not None else None
                     for name in ("minimum", "maximum")}
                )  # fmt: skip
            questions.append({"type": question.type, "value": value})
        stream.append(
            {
                "type": "section",
                "value": {
                    "title": section.title,
                    "key": section.key,
                    "guidance": section.guidance,
                    "show_if": section.show_if.to_data() if section.show_if else {"question": "", "equals": ""},
                    "questions": questions,
                },
            }
        )
    stream.extend({"type": "declaration", "value": {"label": d.label, "key": d.key}} for d in spec.declarations)
    return stream
