from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers


def _has_lone_surrogate(value) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(item) for item in value)
    return False


class JSONParser(parsers.JSONParser):
    """JSON whose text is real Unicode: ``"\\ud800"`` escapes a lone surrogate, which is valid JSON
    but no text at all, and could be neither stored nor sent on; refused as bad input (400)."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if _has_lone_surrogate(data):
            raise exceptions.ParseError(_("The request contains text that is not valid Unicode (a lone surrogate)."))
        return data
