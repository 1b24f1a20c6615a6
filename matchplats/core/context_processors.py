from matchplats import permissions
from matchplats.organisations.selectors import memberships_of


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_memberships": [], "may_view_dimensioning": False, "may_view_regional_report": False}
    return {"my_memberships": memberships_of(user), "may_view_dimensioning": permissions.may_view_dimensioning(user),
            "may_view_regional_report": permissions.may_view_regional_report(user)}
