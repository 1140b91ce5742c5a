"""The default application form: CivTech's six written sections and three declarations, exactly as they were when
they were fields of `Application` (same keys, labels, word limits and guidance). A round with no form of its own
uses it. The migration that moved the answers into data (applications 0009) holds its own frozen copy of this;
`tests/formbuilder/test_versions.py` proves the two are the same."""

from .questions import FormSpec

_SECTIONS = [
    ("idea", "Your idea and how it solves the challenge", 500,
     "Describe what you would build and how it meets the needs set out in the problem statement."),
    ("innovation", "What is innovative about it", 300,
     "What is new here, compared with what the public sector does or can buy today?"),
    ("commercial", "Commercial potential and route to market", 400,
     "Who else could use it, how you would sell it, and how it would be sustained after the programme."),
    ("team", "Your team and its experience", 300, "Who would do the work and what they have done before."),
    ("commitment", "Commitment to the stage dates", 200,
     "Confirm you can take part on the round's dates, and say how you would staff each stage."),
    ("equality_sustainability", "Equality, diversity and environmental sustainability", 300,
     "How your team and product promote equality and diversity and reduce environmental harm."),
]  # fmt: skip
_DECLARATIONS = [
    ("declare_eligible", "We are eligible to apply: we can contract with a Scottish public body."),
    ("declare_no_conflict", "We have declared any conflict of interest with the sponsor or the CivTech team."),
    ("declare_terms", "We accept the programme's terms and conditions and privacy notice."),
]

DEFAULT_NAME = "CivTech application form"

# Each section is one long answer, titled by its question: the task list and pages applicants have always had.
DEFAULT_DATA = {
    "sections": [
        {
            "key": key,
            "title": label,
            "guidance": "",
            "questions": [
                {"key": key, "type": "long_text", "label": label, "help_text": hint, "required": True,
                 "word_limit": limit},
            ],
        }
        for key, label, limit, hint in _SECTIONS
    ],
    "declarations": [{"key": key, "label": label} for key, label in _DECLARATIONS],
}  # fmt: skip

DEFAULT_SPEC = FormSpec.from_data(DEFAULT_DATA)
