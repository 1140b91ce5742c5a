"""The OCDS publication over HTTP. The packages are built per request from the database (a constant number of
queries); they are documented by the standard's own schema, linked from the description."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from ..ocds.package import record_package, release_package
from .base import ERRORS, APIMixin

STANDARD = "https://standard.open-contracting.org/1.1/en/schema/"


class ReleasePackageView(APIMixin, APIView):
    @extend_schema(
        tags=["ocds"],
        summary="OCDS 1.1 release package",
        description=f"Every published challenge as one contracting process, dated and tagged releases from planning "
        f"to payments. Schema: {STANDARD}release_package/",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="An OCDS release package."), **ERRORS},
    )
    def get(self, request):
        return Response(release_package())


class RecordPackageView(APIMixin, APIView):
    @extend_schema(
        tags=["ocds"],
        summary="OCDS 1.1 record package",
        description=f"One record per contracting process: links to its releases and the compiled (merged) release. "
        f"Schema: {STANDARD}record_package/",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="An OCDS record package."), **ERRORS},
    )
    def get(self, request):
        return Response(record_package())
