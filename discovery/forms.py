"""Reading the search page's query string. Anything unknown or malformed is ignored, never an error page."""

from django.http import QueryDict

from .query import CHOICE_FACETS, FACETS, MAX_PAGE, MAX_QUERY_LENGTH, Query


def _clean_values(name: str, values: list[str]) -> tuple[str, ...]:
    cleaned = []
    for value in values[:20]:
        value = value.strip()
        if name in CHOICE_FACETS:
            ok = value in CHOICE_FACETS[name].values
        elif name == "region":
            ok = value.replace("_", "").isalpha() and len(value) <= 20
        else:
            ok = value.isdigit() and len(value) < 12
        if ok and value not in cleaned:
            cleaned.append(value)
    return tuple(cleaned)


def query_from_params(params: QueryDict) -> tuple[Query, list[str]]:
    """The query, and messages about anything we had to change (e.g. a very long query was shortened)."""
    messages = []
    text = " ".join(params.get("q", "").split())
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH]
        messages.append(f"Your search was shortened to its first {MAX_QUERY_LENGTH} characters.")
    filters = {}
    for name in FACETS:
        values = _clean_values(name, params.getlist(name))
        if values:
            filters[name] = values
    try:
        page = int(params.get("page", "1"))
    except ValueError:
        page = 1
    if page > MAX_PAGE:
        messages.append(f"Only the first {MAX_PAGE} pages of results are shown. Try adding a word or a filter.")
    page = min(max(page, 1), MAX_PAGE)
    return Query(text=text, filters=filters, page=page), messages


def params_for(query: Query) -> QueryDict:
    """The query string of a query (for pagination and "did you mean" links)."""
    params = QueryDict(mutable=True)
    if query.text:
        params["q"] = query.text
    for name, values in query.filters.items():
        params.setlist(name, list(values))
    return params
