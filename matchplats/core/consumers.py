from channels.generic.websocket import AsyncJsonWebsocketConsumer


class PingConsumer(AsyncJsonWebsocketConsumer):
    """Answers ``{"type": "ping", "id": ...}`` with a pong that travels through the channel layer.

    Clients use it to check that live features work end to end; the reply is sent to this
    consumer's own channel first, so it proves the channel layer (Redis in production) is up.
    """

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict) or content.get("type") != "ping":
            await self.send_json({"type": "error", "error": "expected {\"type\": \"ping\"}"})
            return
        await self.channel_layer.send(self.channel_name, {"type": "pong.message", "id": content.get("id")})

    async def pong_message(self, event):
        await self.send_json({"type": "pong", "id": event["id"]})
