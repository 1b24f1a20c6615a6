"""ASGI entry point: HTTP through Django, websockets through Channels, in one process."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchplats.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from matching import runtime  # noqa: E402
from matchplats.core.memory import freeze_long_lived_objects  # noqa: E402
from matchplats.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

# Django and the apps are loaded: keep them out of garbage collection (matchplats/core/memory.py).
freeze_long_lived_objects()

# The first need suggestion should not wait for the matcher to load.
if settings.MATCHER_WARM_AT_START:
    runtime.warm_in_background()
