class DomainError(Exception):
    """A business rule said no. `message` is written for the person who tried, not for developers."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def require(result: tuple[bool, str]) -> None:
    """Turn a refused `(allowed, reason)` into Django's PermissionDenied with the reason."""
    from django.core.exceptions import PermissionDenied

    allowed, reason = result
    if not allowed:
        raise PermissionDenied(reason)


def add_to_form(form, error: DomainError) -> None:
    """Show a refused rule on `form`: under `error.field` if the form has that field, else above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)
