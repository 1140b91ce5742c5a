"""What every API view shares: token sign-in, JSON only, limits, pagination and filters. Set here rather than
in REST_FRAMEWORK so Wagtail's admin API (also DRF) keeps its own behaviour."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse
from rest_framework import viewsets
from rest_framework.authentication import TokenAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer

from ..pagination import Pagination
from ..throttling import AnonThrottle, UserThrottle

# Documented so a client (and schemathesis) knows every status the API may answer with.
ERRORS = {
    400: OpenApiResponse(description="A query parameter is not valid."),
    429: OpenApiResponse(description="Too many requests: wait and retry (see Retry-After)."),
}
NOT_FOUND = {404: OpenApiResponse(description="No such published item.")}
REFUSED = {
    401: OpenApiResponse(description="No valid token (send Authorization: Token <key>)."),
    403: OpenApiResponse(description="The token's user is not programme staff, or may not see this item."),
}


class APIMixin:
    authentication_classes = [TokenAuthentication]
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    throttle_classes = [AnonThrottle, UserThrottle]


class PublicViewSet(APIMixin, viewsets.ReadOnlyModelViewSet):
    """`model` names the rows for the OpenAPI generator; `rows()` returns them (from api.selectors)."""

    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]
    model = None

    def rows(self):
        raise NotImplementedError

    def get_queryset(self):
        # The schema generator calls this without a request or a database; the selectors may query (page privacy).
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.rows()
