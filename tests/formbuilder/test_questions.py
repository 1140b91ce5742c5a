"""Each question type's rules, its hostile input, conditions, and the checks on a form staff compose
(formbuilder.questions: pure Python, no database)."""

import pytest

from formbuilder.questions import FormSpec, Question, parse_date, validate_spec


def q(type_, **kwargs) -> Question:
    return Question.from_data({"key": "answer", "type": type_, "label": "The answer", **kwargs})


HOSTILE = ["\x00", "<script>alert(1)</script>", "' OR 1=1 --", "𝕳𝖊𝖑𝖑𝖔", "\u202e", "9" * 400, ["a", "b"], None]


# --- required and optional ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("type_", ["short_text", "long_text", "number", "money", "date", "email", "url", "yes_no"])
@pytest.mark.parametrize("empty", ["", "   ", "\n\t", None, []])
def test_an_unanswered_required_question_is_named_and_an_optional_one_is_fine(type_, empty):
    assert q(type_).problem(empty) == "Answer “The answer”."
    assert q(type_, required=False).problem(empty) == ""


# --- text ---------------------------------------------------------------------------------------------------------
def test_long_text_allows_exactly_its_word_limit_and_names_one_more():
    question = q("long_text", word_limit=3)
    assert question.problem("one two three") == ""
    assert question.problem("one two three four") == "“The answer” must be 3 words or fewer (it has 4)."


def test_short_text_allows_250_characters_and_names_251():
    assert q("short_text").problem("x" * 250) == ""
    assert q("short_text").problem("x" * 251) == "“The answer” must be 250 characters or fewer (it has 251)."


# --- numbers and money --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["12", "3.5", "-4", "1,500", " 7 "])
def test_a_number_is_accepted(text):
    assert q("number").problem(text) == ""


@pytest.mark.parametrize("text", ["twelve", "1.2.3", "NaN", "Infinity", "1e5000x", "--1", "£5"])
def test_anything_else_is_not_a_number(text):
    assert q("number").problem(text) == "“The answer” must be a number, like 12 or 3.5."


def test_a_number_at_its_bounds_is_accepted_and_beyond_them_refused():
    question = q("number", minimum="1", maximum="10")
    assert [question.problem(t) for t in ("1", "10")] == ["", ""]
    assert question.problem("0.99") == "“The answer” must be 1 or more."
    assert question.problem("10.01") == "“The answer” must be 10 or less."


@pytest.mark.parametrize("text", ["1500", "£1,500.50", "0.5", "£ 12"])
def test_money_accepts_pounds_and_pence(text):
    assert q("money").problem(text) == ""


def test_money_refuses_fractions_of_a_penny_and_words():
    assert q("money").problem("1.505") == (
        "“The answer” must be in pounds and pence, with no more than two decimal places."
    )
    assert q("money").problem("lots") == "“The answer” must be a number, like 1500 or 1,500.50."


# --- dates --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["27 3 2027", "27/03/2027", "27.3.2027", "2027-03-27", "29/2/2028"])
def test_a_real_date_is_accepted(text):
    assert q("date").problem(text) == ""


@pytest.mark.parametrize("text", ["31/2/2027", "29/2/2027", "tomorrow", "27/03", "27/03/27", "0/1/2027", "1/13/2027"])
def test_a_date_that_is_not_real_is_refused(text):
    assert q("date").problem(text) == "“The answer” must be a real date, like 27 3 2027 or 27/03/2027."


def test_parse_date_reads_day_month_year():
    assert parse_date("5 11 2027").isoformat() == "2027-11-05"


# --- choices, yes or no, email, web address -----------------------------------------------------------------------
def test_single_choice_accepts_only_an_option():
    question = q("choice", choices=["Red", "Blue"])
    assert question.problem("Red") == ""
    assert question.problem("Green") == "“The answer”: choose one of the options."
    assert question.problem(["Red"]) == "“The answer”: choose one of the options."


def test_multiple_choice_accepts_only_options():
    question = q("choices", choices=["Red", "Blue"])
    assert question.problem(["Red", "Blue"]) == ""
    assert question.problem(["Red", "Green"]) == "“The answer”: choose from the options."


def test_yes_no_has_its_two_options_whatever_the_data_says():
    question = q("yes_no", choices=["Maybe"])
    assert question.choices == ("Yes", "No")
    assert question.problem("Yes") == "" and question.problem("No") == ""
    assert question.problem("Maybe") == "“The answer”: choose one of the options."


@pytest.mark.parametrize(("text", "ok"), [("name@example.com", True), ("name@", False), ("a b@example.com", False)])
def test_email(text, ok):
    assert (q("email").problem(text) == "") is ok


@pytest.mark.parametrize(
    ("text", "ok"),
    [("https://www.example.com", True), ("http://example.org/path", True), ("javascript:alert(1)", False),
     ("example", False), ("ftp://example.com", False)],
)  # fmt: skip
def test_web_address(text, ok):
    assert (q("url").problem(text) == "") is ok


# --- hostile input: every type answers with a message or nothing, never an exception ------------------------------
@pytest.mark.parametrize("type_", ["short_text", "long_text", "number", "money", "date", "choice", "choices",
                                   "yes_no", "email", "url", "file"])  # fmt: skip
@pytest.mark.parametrize("value", HOSTILE, ids=repr)
def test_hostile_answers_get_a_message_or_pass_never_an_exception(type_, value):
    question = q(type_, choices=["A", "B"], word_limit=5)
    problem = question.problem(value)
    assert isinstance(problem, str)
    assert problem == "" or "“The answer”" in problem


# --- conditions ---------------------------------------------------------------------------------------------------
SPEC = FormSpec.from_data(
    {
        "sections": [
            {"key": "about", "title": "About", "questions": [
                {"key": "health", "type": "yes_no", "label": "Does it handle health data?"},
                {"key": "safety", "type": "long_text", "label": "Clinical safety", "word_limit": 50,
                 "show_if": {"question": "health", "equals": "Yes"}},
            ]},
            {"key": "hosting", "title": "Hosting", "show_if": {"question": "health", "equals": "Yes"}, "questions": [
                {"key": "where", "type": "choice", "label": "Where is it hosted?", "choices": ["UK", "EU"]},
            ]},
        ],
        "declarations": [{"key": "declare_terms", "label": "We accept the terms."}],
    }
)  # fmt: skip


def test_a_question_whose_condition_is_not_met_is_not_asked_nor_checked():
    assert SPEC.problems({"health": "No"}) == {}
    assert SPEC.answered({"health": "No", "safety": "kept"}) == {"health": "No"}
    assert [s["title"] for s in SPEC.shown({"health": "No"})] == ["About"]


def test_a_met_condition_asks_the_question_and_its_section():
    assert set(SPEC.problems({"health": "Yes"})) == {"safety", "where"}
    assert SPEC.answered({"health": "Yes", "safety": "A DCB0129 case", "where": "UK"}) == {
        "health": "Yes", "safety": "A DCB0129 case", "where": "UK"
    }  # fmt: skip


def test_the_condition_is_said_in_the_applicants_words():
    assert SPEC.condition_text(SPEC.question("safety")) == (
        "Only if you answered “Does it handle health data?” with “Yes”."
    )
    assert SPEC.condition_text(SPEC.question("health")) == ""


def test_the_spec_survives_its_own_data():
    assert FormSpec.from_data(SPEC.to_data()) == SPEC
    assert validate_spec(SPEC) == []


# --- what makes a composed form unusable ----------------------------------------------------------------------------
def spec_with(*questions, declarations=()) -> FormSpec:
    return FormSpec.from_data(
        {"sections": [{"key": "one", "title": "One", "questions": list(questions)}], "declarations": list(declarations)}
    )


def test_each_unusable_form_is_refused_with_what_to_change():
    text = {"type": "short_text", "label": "Name"}
    assert validate_spec(FormSpec()) == ["Add at least one section with a question."]
    assert validate_spec(spec_with({**text, "key": "a"}, {**text, "key": "a"})) == [
        "Question “Name”: the key “a” is used by another question."
    ]
    assert validate_spec(spec_with({**text, "key": "Bad Key"}))[0].startswith("Question “Name”: key “Bad Key”")
    assert validate_spec(spec_with({"key": "c", "type": "choice", "label": "Pick", "choices": ["Only"]})) == [
        "Question “Pick”: give at least two options."
    ]
    assert validate_spec(spec_with({**text, "key": "b", "show_if": {"question": "later", "equals": "x"}})) == [
        "Question “Name”: its condition must point at an earlier question (“later” is not)."
    ]
    assert validate_spec(
        spec_with({"key": "yn", "type": "yes_no", "label": "OK?"},
                  {**text, "key": "b", "show_if": {"question": "yn", "equals": "Maybe"}})
    ) == ["Question “Name”: “OK?” cannot be answered “Maybe” (its options are Yes, No)."]  # fmt: skip
    assert validate_spec(spec_with({**text, "key": "a"}, declarations=[{"key": "a", "label": "Tick"}])) == [
        "Each declaration needs a key no other declaration or question uses."
    ]
    assert validate_spec(spec_with({"key": "n", "type": "number", "label": "N", "minimum": "5", "maximum": "1"})) == [
        "Question “N”: the lowest value allowed is above the highest."
    ]


# --- file questions ---------------------------------------------------------------------------------------------------
def test_a_file_question_says_its_kinds_and_size_and_asks_for_an_upload():
    question = q("file", file_kinds=["pdf", "odt"], max_mb=5)
    assert question.hint == "A PDF or ODT file, 5 MB or smaller."
    assert q("file").hint == "A PDF, DOCX, ODT or PPTX file, 20 MB or smaller."
    assert question.problem("") == "Upload a file for “The answer”."
    assert question.problem("case.pdf") == ""


def test_a_file_question_allows_only_the_kinds_and_sizes_the_upload_checks_know():
    bad = spec_with({"key": "f", "type": "file", "label": "F", "file_kinds": ["exe"], "max_mb": 50})
    assert validate_spec(bad) == [
        "Question “F”: files can only be PDF, DOCX, ODT, PPTX.",
        "Question “F”: the largest file allowed must be between 1 and 20 MB.",
    ]
