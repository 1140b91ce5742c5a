from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination


def _count(value: str, name: str, *, minimum: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({name: "Enter a whole number."}) from None
    if number < minimum:
        raise ValidationError({name: f"Enter {minimum} or more."})
    return number


class Pagination(LimitOffsetPagination):
    """`?limit=&offset=`. A wrong value is a 400 with the reason (DRF would silently use the default, so a client's
    typo would look like an answer); a limit above `max_limit` is capped; an offset past the end is an empty page."""

    default_limit = 50
    max_limit = 500

    def get_limit(self, request):
        if self.limit_query_param not in request.query_params:
            return self.default_limit
        return min(_count(request.query_params[self.limit_query_param], "limit", minimum=1), self.max_limit)

    def get_offset(self, request):
        if self.offset_query_param not in request.query_params:
            return 0
        return _count(request.query_params[self.offset_query_param], "offset", minimum=0)

    def get_schema_operation_parameters(self, view):
        # State the bounds, so the OpenAPI description says what a 400 is for.
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            minimum = 1 if parameter["name"] == self.limit_query_param else 0
            parameter["schema"] = {**parameter["schema"], "minimum": minimum}
        return parameters
