"""The request rate per API key (or per person, or per address for visitors), kept in the cache;
the rate is the setting ``API_RATE_LIMIT`` (env, e.g. ``120/m``). Past it: 429 with Retry-After."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from matchplats.api.models import ApiKey


class ApiRateThrottle(SimpleRateThrottle):
    scope = "api"
    cache_format = "api-rate:%(scope)s:%(ident)s"

    def get_rate(self) -> str:
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view) -> str:
        if isinstance(request.auth, ApiKey):
            ident = f"key-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"addr-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
