"""Every registered permission rule is asked somewhere in the product (issue #23: "rules nothing calls").

A rule that no view, service, template or API asks guards nothing: a bug in it is invisible, and the action it was
written for is either unguarded elsewhere or not built. The rule's name must appear, quoted, in product code other
than its own `@rule(...)` line (a `has_permission`/`require` call, a view's `rule`/`object_rule`, a template tag).
"""

import re
from pathlib import Path

from civtech.permissions import registered_actions

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", "tests", "bench", "scripts", ".git", "migrations", "static", ".mutation", "mutants"}


def product_sources() -> str:
    texts = []
    for path in ROOT.rglob("*"):
        if path.suffix in {".py", ".html", ".txt"} and not SKIP & set(path.relative_to(ROOT).parts):
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(texts)


def test_every_registered_rule_is_asked_by_the_product():
    source = product_sources()
    declaration = re.compile(r"""@rule\(\s*["']([a-z_.]+)["']\s*\)""")
    declared = set(declaration.findall(source))
    assert declared == set(registered_actions()), "every rule is declared with @rule in product code"
    asked_somewhere = declaration.sub("", source)
    unasked = [
        name for name in registered_actions() if not re.search(rf"""["']{re.escape(name)}["']""", asked_somewhere)
    ]
    assert unasked == [], f"registered rules that nothing asks: {unasked}"


def test_the_check_finds_an_unasked_rule():
    """The detector works: a rule named only in its declaration is reported."""
    source = '@rule("thing.unused")\ndef f(user, obj): ...\nhas_permission("thing.used", user)\n@rule("thing.used")'
    declaration = re.compile(r"""@rule\(\s*["']([a-z_.]+)["']\s*\)""")
    rest = declaration.sub("", source)
    assert not re.search(r"""["']thing\.unused["']""", rest)
    assert re.search(r"""["']thing\.used["']""", rest)
