from django import template

from matchplats.accounts.selectors import two_step_sign_in_on

register = template.Library()


@register.filter
def has_two_step_sign_in(user) -> bool:
    """``{% if user|has_two_step_sign_in %}``: the account pages say whether two-step sign-in is on."""
    return two_step_sign_in_on(user=user)
