"""Turning what someone typed into search terms, shared by every backend so they agree.

A query becomes a list of *groups*; a document matches a group when it contains any alternative in it
(a word, or a phrase of several). Synonyms are extra alternatives: "NHS" also finds "health". Stop
words are dropped here rather than left to each engine, so "how can we" is not a query at all.
"""

import html
import re
from dataclasses import dataclass

# Each line is one set of equivalent terms; multi-word terms are phrases. Kept short and specific to the
# programme's vocabulary: broad synonyms make every search return everything.
SYNONYMS: list[tuple[str, ...]] = [
    ("nhs", "health", "healthcare", "health board"),
    ("council", "local authority", "local government"),
    ("hospital", "outpatient", "clinic"),
    ("gp", "general practice", "doctor"),
    ("ev", "electric vehicle"),
    ("bus", "public transport"),
    ("ferry", "ferries"),
    ("sme", "small business"),
    ("ai", "artificial intelligence", "machine learning"),
    ("net zero", "climate", "carbon", "emissions"),
    ("housing", "homes", "accommodation"),
    ("heritage", "historic"),
    ("fire", "wildfire"),
    ("jobs", "employment", "apprenticeships"),
]

STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "can",
        "could",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "so",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "too",
        "us",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)

MAX_GROUPS = 12  # more words than this are ignored: they cost time and no longer narrow anything
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)

# Backends put these private-use characters round matched words; `highlight_html` turns them into <mark>
# after escaping everything else, so nothing a document contains can become markup.
MARK_START, MARK_END = "\ue000", "\ue001"


@dataclass(frozen=True)
class Group:
    alternatives: tuple[str, ...]  # the first is what was typed; each is a word or a phrase

    @property
    def typed(self) -> str:
        return self.alternatives[0]


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in WORD.findall(text or "")]


def _synonym_index() -> dict[tuple[str, ...], tuple[str, ...]]:
    index = {}
    for line in SYNONYMS:
        for term in line:
            index[tuple(term.split())] = line
    return index


SYNONYM_INDEX = _synonym_index()
LONGEST_SYNONYM = max(len(key) for key in SYNONYM_INDEX)


def parse(text: str) -> list[Group]:
    """The groups of a query, longest synonym phrases first ("local authority" is one group)."""
    tokens = words(text)
    groups: list[Group] = []
    i = 0
    while i < len(tokens) and len(groups) < MAX_GROUPS:
        for size in range(min(LONGEST_SYNONYM, len(tokens) - i), 0, -1):
            key = tuple(tokens[i : i + size])
            if key in SYNONYM_INDEX:
                typed = " ".join(key)
                others = tuple(t for t in SYNONYM_INDEX[key] if t != typed)
                groups.append(Group((typed, *others)))
                i += size
                break
        else:
            token = tokens[i]
            i += 1
            if (token not in STOP_WORDS and len(token) > 1) or token.isdigit():
                groups.append(Group((token,)))
    return groups


def vocabulary(*texts: str) -> set[str]:
    """The words a document contributes to "did you mean": letters only, 3–40 long, not stop words."""
    found = set()
    for text in texts:
        for word in words(text):
            if 3 <= len(word) <= 40 and word.isalpha() and word not in STOP_WORDS:
                found.add(word)
    return found


def highlight_html(marked: str) -> str:
    """Escape a backend's snippet and turn only our own markers into <mark>."""
    escaped = html.escape(marked or "", quote=True)
    return escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Damerau–Levenshtein (adjacent transpositions count once); stops early past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]
