from django.db.models import Count

from matchplats.organisations.models import Organisation


def platform_figures() -> dict[str, int]:
    """How many organisations of each kind use the platform (shown on the home page)."""
    counts = dict(Organisation.objects.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return {kind: counts.get(kind, 0) for kind in Organisation.Kind.values}
