"""The address of the person making a request, the same for every rate limit in the project.

Behind a reverse proxy every request arrives from the proxy's address, so keying limits on REMOTE_ADDR would put
every visitor in one bucket (one abuser locks everyone out). Each proxy appends the address it received the request
from to X-Forwarded-For, so with TRUSTED_PROXY_COUNT proxies in front the client is the entry that many places from
the end. Entries further left were written by the client and could be anything, so they are never read: a forged
header cannot choose the bucket it is counted in. With no proxy configured (the default) the header is ignored.

Used by civtech.ratelimit (public forms), allauth (AccountAdapter.get_client_ip: sign-in, sign-up, password reset)
and the API throttles (api.throttling), so one setting decides the client everywhere.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < proxies:
        # Fewer hops than proxies: the request did not come through them all (or a proxy dropped the header).
        # The nearest address is the only one we can vouch for.
        return remote
    candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
