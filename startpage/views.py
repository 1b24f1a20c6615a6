from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from matchplats.core import views as core_views
from startpage.selectors import start_page


@require_safe
def home(request):
    """Visitors get the platform's front page; a signed-in person "Mitt Matchplats"."""
    if not request.user.is_authenticated:
        return core_views.home(request)
    today = timezone.localdate()
    return render(request, "startpage/home.html", {"page": start_page(request.user, today=today), "today": today})
