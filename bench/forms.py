"""Rendering and validating a 60-question application form, in-process (issue #20).

    .venv/bin/python bench/forms.py --questions 60 --repeat 200

No database: it measures what grows with the number of questions — reading a frozen form version's JSON into a
`FormSpec`, building the section page's form and rendering every field in the design system's markup, validating a
post of every answer, and checking a whole application's answers for submission (`FormSpec.problems`, conditions
included). The page's queries do not grow with the number of questions (tests/formbuilder/test_versions.py proves
it for the section, task list, check and autosave), so this is the part that does.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civtech.settings.dev")

TYPES = ["short_text", "long_text", "number", "money", "date", "choice", "choices", "yes_no", "email", "url"]
ANSWERS = {
    "short_text": "Booker", "long_text": "A booking assistant that texts patients. " * 20, "number": "1,200",
    "money": "£4,000.50", "date": "27/03/2027", "choice": "Two", "choices": ["One", "Three"], "yes_no": "Yes",
    "email": "team@booker.example", "url": "https://booker.example/about",
}  # fmt: skip


def form_data(count: int) -> dict:
    """`count` questions of every type in turn, in one section; every fifth is asked only when the first is Yes."""
    questions = [{"key": "first", "type": "yes_no", "label": "Does it handle health data?"}]
    for i in range(1, count):
        kind = TYPES[i % len(TYPES)]
        question = {"key": f"q{i}", "type": kind, "label": f"Question {i}", "help_text": "Guidance for it.",
                    "word_limit": 300, "choices": ["One", "Two", "Three"]}  # fmt: skip
        if i % 5 == 0:
            question["show_if"] = {"question": "first", "equals": "Yes"}
        questions.append(question)
    return {"sections": [{"key": "all", "title": "Everything", "questions": questions}],
            "declarations": [{"key": "declare_terms", "label": "We accept the terms."}]}  # fmt: skip


def timed(function, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=200)
    options = parser.parse_args()

    import django

    django.setup()
    from django.template.loader import get_template

    from applications.forms.applicant import SectionForm
    from formbuilder.questions import FormSpec

    data = form_data(options.questions)
    spec = FormSpec.from_data(data)
    section = spec.sections[0]
    answers = {"first": "Yes", **{q.key: ANSWERS[q.type] for q in spec.questions() if q.key != "first"}}
    post = {key: value for key, value in answers.items()}
    field_template = get_template("components/field.html")

    def render():
        form = SectionForm(spec=spec, section=section, initial=answers)
        return "".join(field_template.render({"field": form[q.key], "no_optional": True}) for q in section.questions)

    def validate_post():
        form = SectionForm(post, spec=spec, section=section)
        assert form.is_valid(), form.errors
        return form.answers()

    def submission_check():
        assert spec.problems(answers) == {}

    print(f"{options.questions} questions, {options.repeat} runs each: median / p95 milliseconds")
    for name, function in [
        ("read the frozen version (FormSpec.from_data)", lambda: FormSpec.from_data(data)),
        ("build and render the section's fields", render),
        ("validate a post of every answer", validate_post),
        ("check the answers for submission", submission_check),
    ]:
        median, p95 = timed(function, options.repeat)
        print(f"  {name:48} {median:7.2f} / {p95:7.2f}")
    print(f"  rendered HTML: {len(render()) // 1024} KiB")


if __name__ == "__main__":
    main()
