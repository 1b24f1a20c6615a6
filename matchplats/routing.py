from django.urls import path

from dialogues.live.consumer import LiveConsumer
from matchplats.core.consumers import PingConsumer

websocket_urlpatterns = [
    path("ws/ping/", PingConsumer.as_asgi()),
    path("ws/arenor/moten/<int:session_id>/", LiveConsumer.as_asgi()),
]
