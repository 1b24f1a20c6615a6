"""Hand-made data for the status report's tests: needs and programmes with the fields that
decide whether and where they count, set directly after the services have created them."""

from __future__ import annotations

import datetime as dt

from employers.models import Need
from matchplats.organisations.models import Organisation
from matchplats.taxonomy.models import Kommun
from providers.models import Intake, Programme
from tests.factories import make_need, make_organisation, make_programme

CARE, TEACHER, MACHINIST = "5321", "2341", "7223"  # undersköterskor; grundskollärare; maskinställare, metall


def employers(count: int, prefix: str = "Arbetsgivare") -> list[Organisation]:
    return [make_organisation(Organisation.Kind.EMPLOYER, name=f"{prefix} {i}") for i in range(count)]


def need(employer, *, today: dt.date, ssyk4=CARE, headcount=1, visibility="public", purpose=Need.Purpose.RECRUITMENT,
         kommun_code="1780", months_ahead=3, **flags) -> Need:
    """An active need of Värmland (Karlstad) that counts as demand, needed ``months_ahead`` from ``today``."""
    created = make_need(employer, ssyk4=ssyk4, headcount=headcount, visibility=visibility, kommun_code=kommun_code)
    Need.objects.filter(pk=created.pk).update(
        needed_by=today + dt.timedelta(days=30 * months_ahead), purpose=purpose,
        valid_until=today + dt.timedelta(days=150), **flags)
    return Need.objects.get(pk=created.pk)


def programme(provider, *, today: dt.date, ssyk4=(CARE,), places=10, kommuner=("1780",),
              status=Programme.Status.GRANTED) -> Programme:
    """A 40-week programme of Värmland with one intake that started 20 weeks before ``today``,
    so its ``places`` people complete within the year."""
    created = make_programme(provider, ssyk4=ssyk4, kommun_code=kommuner[0])
    created.kommuner.set(Kommun.objects.filter(code__in=kommuner))
    created.intakes.all().delete()
    Intake.objects.create(programme=created, start_date=today - dt.timedelta(weeks=20), places=places)
    Programme.objects.filter(pk=created.pk).update(status=status, length_weeks=40, yh_points=None, pace_percent=None)
    return Programme.objects.get(pk=created.pk)
