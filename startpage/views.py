from django.shortcuts import render
from django.utils import timezone

from matchplats.core import views as core_views
from startpage.selectors import start_page


def home(request):
    """Visitors get the platform's front page; a signed-in person "Mitt Matchplats"."""
    if not request.user.is_authenticated:
        return core_views.home(request)
    today = timezone.localdate()
    return render(request, "startpage/home.html", {"page": start_page(request.user, today=today), "today": today})
