from django.conf import settings
from django.urls import include, path
from django.views.decorators.cache import never_cache
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from .health import healthz
from .public_site import cookies, robots_txt, sitemap
from .wagtail_fixes import TolerantExternalLinkView

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("sitemap.xml", sitemap, name="sitemap"),  # public pages only (civtech/public_site.py)
    path("robots.txt", robots_txt, name="robots_txt"),
    path("cookies/", cookies, name="cookies"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("organisations.urls")),
    path("", include("challenges.urls")),
    path("", include("applications.urls")),
    path("", include("sprints.urls")),
    path("", include("impact.urls")),  # /returns/ and /benefits/ (not /impact/: the public page)
    path("", include("discovery.urls")),  # /search/, /solutions/ (site search and the solutions catalogue)
    path("api/", include("api.urls")),  # /api/v1/ (open data API), /api/schema/, /api/docs/
    path("open-data/", include("api.open_data_urls")),  # CSV downloads and their data dictionary
    # In front of Wagtail's own view of the same name, which 500s on a post without its URL field; outside
    # Wagtail's admin URLs, so it asks for admin access itself as they do.
    path(
        "admin/choose-external-link/",
        never_cache(require_admin_access(TolerantExternalLinkView.as_view())),
        name="wagtailadmin_choose_page_external_link",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page tree serves everything else, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]
