from dialogues.selectors import has_arenas
from matchplats import permissions


def arenas(request):
    """Whether the main menu links "Branscharenor": for those who see an arena, and coordinators
    (who create them)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"has_arenas": False}
    return {"has_arenas": permissions.is_coordinator(user) or has_arenas(user)}
