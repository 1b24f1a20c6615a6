"""A deterministic demo of Region Värmland built from the real reference data.

The region, its län and kommuner, the occupations and the YH programmes (MYH decisions
2023–2025 in Värmland) are real; the employers, people and needs are invented and marked as
demo. Running it twice changes nothing. Everything is written through the apps' services.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dialogues.live.services import Viewer, execute, participant_for_member, participant_join_guest, tally
from dialogues.live.state import GUEST, HOST, MEMBER
from dialogues.models import Arena, ArenaSession, Decision, Stage
from dialogues.services import (
    action_item_create,
    action_item_update,
    agenda_item_update,
    arena_create,
    arena_host_set,
    arena_member_add,
    arena_stage_set,
    decision_create,
    session_create,
    session_state_set,
)
from employers.models import Need
from employers.services import need_create
from matchplats.core.choices import Visibility
from matchplats.core.purposes import programme_purpose
from matchplats.core.terms import TERMS_VERSION
from matchplats.organisations.events import organisation_created_event
from matchplats.organisations.models import Membership, Organisation
from matchplats.organisations.services import memberships_record_staff_changes, organisation_create
from matchplats.taxonomy.models import Kommun, Lan, OccupationName, SsykGroup, SunField
from providers.models import Programme, ValidationPath
from providers.services import (
    IntakeSpec,
    LetterOfIntent,
    myh_derived_intakes,
    programme_backing_set,
    programme_create,
    validation_path_create,
)

DEMO_PASSWORD = "matchplats-demo"
REGION_NAME = "Region Värmland"
LAN_CODE = "17"
MYH_ROUNDS = ("2023", "2024", "2025")
PLANNED_YH_PROGRAMME = "Specialistundersköterska inom äldreomsorg (YH, planerad)"


@dataclass(frozen=True)
class Login:
    email: str
    role: str


@dataclass(frozen=True)
class DemoNeed:
    occupation_id: str
    title: str
    description: str
    headcount: int
    horizon: str
    kommun: str
    visibility: str = Visibility.PUBLIC
    seqf_level: int | None = None
    validation_accepted: bool = False
    language_integrated_welcome: bool = False
    broadened_recruitment: bool = False
    may_name_in_evidence: bool = True
    evidence_statement: str = ""


H = Need.Horizon
EMPLOYERS: dict[str, tuple[str, str, list[DemoNeed]]] = {
    "omsorg": ("Omsorg i Karlstad AB (demo)", "1780", [
        DemoNeed("bSEB_VKd_Ub3", "Undersköterskor till hemtjänsten i Karlstad",
                 "Vi behöver 12 undersköterskor till hemtjänsten i Karlstad inom ett år, gärna med körkort.",
                 12, H.WITHIN_1Y, "1780", seqf_level=4, validation_accepted=True, language_integrated_welcome=True,
                 broadened_recruitment=True,
                 evidence_statement="Vi anställer undersköterskor löpande och ser ett ökat behov när fler äldre bor kvar hemma."),
        DemoNeed("bXNH_MNX_dUR", "Sjuksköterskor till hemsjukvården", "Legitimerade sjuksköterskor till kommunal hemsjukvård.",
                 4, H.Y1_3, "1780", seqf_level=6, visibility=Visibility.COORDINATORS),
        DemoNeed("EAao_VsW_pQb", "Medicinska sekreterare", "Vårdadministratörer till våra mottagningar.",
                 3, H.WITHIN_1Y, "1781", seqf_level=5, visibility=Visibility.AGGREGATED),
    ]),
    "verkstad": ("Värmlands Verkstadsteknik AB (demo)", "1784", [
        DemoNeed("9haD_NB6_ULH", "CNC-operatörer till fleroperationsmaskiner",
                 "CNC-operatör fleroperationsmaskin, treskift. Vi validerar gärna befintlig kompetens.",
                 6, H.NOW, "1784", seqf_level=4, validation_accepted=True,
                 evidence_statement="Bristen på CNC-operatörer begränsar vår produktion i Arvika."),
        DemoNeed("1ixi_57J_KFF", "Kyl- och värmepumpstekniker", "Service och installation av värmepumpar i västra Värmland.",
                 3, H.Y1_3, "1784", seqf_level=5),
    ]),
    "el": ("Fryksdalens Elinstallation AB (demo)", "1766", [
        DemoNeed("84Uc_bhA_s47", "Installationselektriker", "Elinstallatörer för bostäder och industri i Fryksdalen.",
                 5, H.WITHIN_1Y, "1766", seqf_level=4, validation_accepted=True, broadened_recruitment=True),
        DemoNeed("7Yn2_NLJ_oa2", "Elkraftsingenjör", "Projektering av elnät och laddinfrastruktur.",
                 2, H.Y3_5, "1780", seqf_level=5, visibility=Visibility.COORDINATORS),
    ]),
    "it": ("Klarälvens Mjukvara AB (demo)", "1780", [
        DemoNeed("rQds_YGd_quU", "Mjukvaruutvecklare .NET", "Systemutvecklare till vårt team i Karlstad, C# och Azure.",
                 4, H.WITHIN_1Y, "1780", seqf_level=5),
        DemoNeed("9yMK_8ep_D1K", "IT-säkerhetstekniker", "Säkerhetsarbete och incidenthantering för våra kunder.",
                 2, H.Y1_3, "1780", seqf_level=5),
    ]),
    "kok": ("Sunne Gästgiveri & Konferens AB (demo)", "1766", [
        DemoNeed("Vg3d_Azf_p5Y", "Kockar till storkök och konferens", "Kockar inför säsongen, storhushåll och à la carte.",
                 3, H.NOW, "1766", seqf_level=4, language_integrated_welcome=True, validation_accepted=True),
    ]),
}

EMPLOYER_USERS = {
    "omsorg": "hr@omsorg-karlstad.example",
    "verkstad": "rekrytering@verkstadsteknik.example",
    "el": "kontor@fryksdalens-el.example",
    "it": "people@klaralvens-mjukvara.example",
    "kok": "chef@sunne-gastgiveri.example",
}

VALIDATION_PATHS = [
    ("Validering till undersköterska (Vård- och omsorgscollege)", ValidationPath.Method.BRANCH_MODEL, ["5321", "5323"],
     "4–8 veckor", "Avgiftsfri via komvux", ["1780", "1781"],
     "Kartläggning och bedömning mot de nationella kurserna för undersköterska; kompletterande utbildning vid behov."),
    ("Industrivalidering – CNC-operatör (Industrins validering)", ValidationPath.Method.BRANCH_MODEL, ["7223"],
     "2–3 dagar praktiskt prov", "Betalas av arbetsgivaren", ["1784"],
     "Branschens validering mot yrkesbevis för operatörer inom industrin."),
    ("Elbranschens validering (ECY)", ValidationPath.Method.BRANCH_MODEL, ["7411"],
     "1–2 veckor", "Enligt offert", ["1780", "1766"],
     "Bedömning av yrkeskunnande mot elbranschens krav inför auktorisation."),
    ("Yrkesförare gods – TYA:s branschvalidering", ValidationPath.Method.BRANCH_MODEL, ["8332"],
     "1 vecka", "Enligt offert", ["1780", "1783"],
     "Validering av erfarna lastbilsförare mot TYA:s yrkesbevis."),
    ("Kock – Visitas branschvalidering", ValidationPath.Method.BRANCH_MODEL, ["5120"],
     "2 dagar", "Enligt offert", ["1766", "1780"],
     "Teoretiskt och praktiskt prov för kockar; leder till branschbevis."),
]


def _user(email: str, *, staff: bool = False):
    User = get_user_model()
    user, created = User.objects.get_or_create(email=email, defaults={"is_staff": staff, "is_superuser": staff})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def _yh_rows(data_dir: Path) -> list[dict[str, str]]:
    with (data_dir / "yh" / "applications_2018_2025.csv").open(encoding="utf-8", newline="") as handle:
        return [
            row for row in csv.DictReader(handle)
            if row["kommunkod"].startswith(LAN_CODE) and row["beslut"] == "beviljad" and row["ansokningsomgang"] in MYH_ROUNDS
        ]


def _provider_name(raw: str) -> str:
    return raw.replace(" Aktiebolag", " AB").strip()


def _int(value: str) -> int | None:
    return int(float(value)) if value.strip() else None


def _seed_programmes(data_dir: Path, admin_user) -> dict[str, Organisation]:
    providers: dict[str, Organisation] = {}
    kommuner = {k.code: k for k in Kommun.objects.filter(code__startswith=LAN_CODE)}
    sun_fields = {f.code: f for f in SunField.objects.filter(level=5)}
    for row in _yh_rows(data_dir):
        name = _provider_name(row["anordnare"])
        if name not in providers:
            providers[name] = Organisation.objects.filter(name=name, kind=Organisation.Kind.PROVIDER).first() or \
                organisation_create(creator=admin_user, name=name, kind=Organisation.Kind.PROVIDER,
                                    provider_type=Organisation.ProviderType.YH, kommun=kommuner[row["kommunkod"]],
                                    accepted_terms=True)
        if Programme.objects.filter(myh_diarienummer=row["diarienummer"]).exists():
            continue
        round_ = int(row["ansokningsomgang"])
        sun_field = sun_fields.get(row["sun5_kod"])
        programme_create(
            actor=None,
            provider=providers[name],
            name=row["utbildningsnamn"],
            form=Programme.Form.YH,
            status=Programme.Status.GRANTED,
            kommuner=[kommuner[row["kommunkod"]]],
            intakes=myh_derived_intakes(
                application_round=round_,
                places_per_round=[_int(row[f"beviljade_platser_omg{i}"]) for i in range(1, 6)],
            ),
            source="demo",
            education_area=row["utbildningsomrade"],
            sun_field=sun_field,
            purpose=programme_purpose(row["utbildningsnamn"], sun_label=sun_field.label if sun_field else None)
            or Programme.Purpose.INTO,
            seqf_level=_int(row["seqf_niva"]),
            yh_points=_int(row["yh_poang"]),
            pace_percent=_int(row["studietakt_procent"]),
            distance=row["studieform"].lower() == "distans",
            myh_diarienummer=row["diarienummer"],
            application_round=round_,
        )
    return providers


def _seed_komvux(user, today: dt.date) -> Organisation:
    komvux = organisation_create(creator=user, name="Karlstads kommun, Komvux (demo)", kind=Organisation.Kind.PROVIDER,
                                 provider_type=Organisation.ProviderType.KOMVUX, kommun=Kommun.objects.get(code="1780"),
                                 accepted_terms=True)
    karlstad = Kommun.objects.get(code="1780")
    usk = SsykGroup.objects.get(code="5321")
    starts = [dt.date(today.year + 1, 1, 12), dt.date(today.year + 1, 8, 18)]
    programme_create(actor=None, provider=komvux, name="Vård- och omsorgsutbildning, undersköterska (regional yrkesvux)",
                     form=Programme.Form.YRKESVUX, status=Programme.Status.RUNNING, target_occupations=[usk],
                     kommuner=[karlstad], intakes=[IntakeSpec(s, 24, s - dt.timedelta(days=45)) for s in starts],
                     source="demo", seqf_level=4, length_weeks=60, pace_percent=100,
                     description="Gymnasial vård- och omsorgsutbildning som leder till yrkestiteln undersköterska.")
    programme_create(actor=None, provider=komvux, name="Undersköterska med svenska som andraspråk (språk + yrke)",
                     form=Programme.Form.YRKESVUX, status=Programme.Status.RUNNING, target_occupations=[usk],
                     kommuner=[karlstad], intakes=[IntakeSpec(starts[1], 16, starts[1] - dt.timedelta(days=45))],
                     source="demo", seqf_level=4, length_weeks=80, pace_percent=100, language_integrated=True,
                     description="Yrkesutbildning kombinerad med sfi/svenska som andraspråk för dig som är ny i Sverige.")
    programme_create(actor=None, provider=komvux, name=PLANNED_YH_PROGRAMME,
                     form=Programme.Form.YH, status=Programme.Status.PLANNED, target_occupations=[usk],
                     kommuner=[karlstad], intakes=[IntakeSpec(dt.date(today.year + 2, 8, 24), 30)],
                     source="demo", seqf_level=5, yh_points=200, pace_percent=100, application_round=today.year + 1,
                     description="Planerad YH-utbildning för undersköterskor som vill fördjupa sig i demens, "
                                 "palliativ vård och hemsjukvård i kommunal äldreomsorg.")
    return komvux


def _seed_backing(today: dt.date) -> None:
    """The demo's planned YH programme is backed by the home-care employer: LIA places and a
    letter of intent, as for a real application."""
    employer = Organisation.objects.get(name=EMPLOYERS["omsorg"][0])
    programme_backing_set(
        actor=get_user_model().objects.get(email=EMPLOYER_USERS["omsorg"]), today=today,
        programme=Programme.objects.get(name=PLANNED_YH_PROGRAMME), employer=employer, lia_places=6,
        letter=LetterOfIntent(signatory="Anna Lindqvist", role="Verksamhetschef hemtjänst", signed_on=today,
                              text="Omsorg i Karlstad AB står bakom utbildningen och avser att ta emot studerande "
                                   "för lärande i arbete och att rekrytera bland dem som fullföljer den."),
    )


def _accept_terms_of_earlier_demo(emails: list[str]) -> None:
    """A demo seeded before organisations accepted the terms of use: its organisations (created
    by the demo's people) accept the version in force, as new demo organisations do."""
    Organisation.objects.filter(Q(created_by__email__in=emails) | Q(name=REGION_NAME),
                                accepted_terms_at__isnull=True).update(accepted_terms_at=timezone.now(),
                                                                       accepted_terms_version=TERMS_VERSION)


@transaction.atomic
def demo_seed(*, data_dir: Path, today: dt.date) -> list[Login]:
    """Build the demo once; return the logins (also when it already exists)."""
    logins = [Login("admin@matchplats.example", "platform staff (Django admin)"),
              Login("koordinator@regionvarmland.example", "coordinator, Region Värmland"),
              Login("utbildning@komvux-karlstad.example", "provider admin, Karlstads kommun Komvux"),
              *(Login(email, f"employer admin, {EMPLOYERS[key][0]}") for key, email in EMPLOYER_USERS.items())]
    if Organisation.objects.filter(name=REGION_NAME, kind=Organisation.Kind.REGION).exists():
        if not Arena.objects.filter(name=ARENA_NAME).exists():
            _seed_arena(today)
        _accept_terms_of_earlier_demo([login.email for login in logins])
        return logins
    admin_user = _user("admin@matchplats.example", staff=True)
    coordinator = _user("koordinator@regionvarmland.example")
    region = Organisation.objects.create(name=REGION_NAME, kind=Organisation.Kind.REGION, lan=Lan.objects.get(code=LAN_CODE),
                                         created_by=admin_user, accepted_terms_at=timezone.now(),
                                         accepted_terms_version=TERMS_VERSION)
    organisation_created_event(organisation=region, actor=admin_user)
    Membership.objects.create(user=coordinator, organisation=region, role=Membership.Role.ADMIN)
    memberships_record_staff_changes(organisation=region, actor=admin_user, before={})

    komvux_user = _user("utbildning@komvux-karlstad.example")
    _seed_komvux(komvux_user, today)
    validation = organisation_create(creator=komvux_user, name="Valideringscentrum Värmland (demo)",
                                     kind=Organisation.Kind.PROVIDER, provider_type=Organisation.ProviderType.VALIDATION,
                                     kommun=Kommun.objects.get(code="1780"), accepted_terms=True)
    for name, method, codes, duration, cost, kommun_codes, description in VALIDATION_PATHS:
        validation_path_create(actor=komvux_user, organiser=validation, name=name, method=method,
                               occupations=SsykGroup.objects.filter(code__in=codes),
                               kommuner=Kommun.objects.filter(code__in=kommun_codes),
                               duration=duration, cost=cost, description=description)
    _seed_programmes(data_dir, admin_user)

    for key, (name, kommun_code, needs) in EMPLOYERS.items():
        user = _user(EMPLOYER_USERS[key])
        employer = organisation_create(creator=user, name=name, kind=Organisation.Kind.EMPLOYER,
                                       kommun=Kommun.objects.get(code=kommun_code), accepted_terms=True)
        for spec in needs:
            occupation = OccupationName.objects.select_related("ssyk4").get(concept_id=spec.occupation_id)
            need_create(
                actor=user, organisation=employer, ssyk4=occupation.ssyk4, occupation_name=occupation,
                title=spec.title, description=spec.description, headcount=spec.headcount, horizon=spec.horizon,
                kommun=Kommun.objects.get(code=spec.kommun), seqf_level=spec.seqf_level,
                validation_accepted=spec.validation_accepted,
                language_integrated_welcome=spec.language_integrated_welcome,
                broadened_recruitment=spec.broadened_recruitment, may_name_in_evidence=spec.may_name_in_evidence,
                evidence_statement=spec.evidence_statement, visibility=spec.visibility,
                skills=occupation.ssyk4.skills.order_by("label")[:3], today=today,
            )
    _seed_backing(today)
    _seed_arena(today)
    return logins


ARENA_NAME = "Branschråd vård och omsorg Värmland (demo)"


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _seed_live_part(session: ArenaSession, *, coordinator, urgency: list[int]) -> None:
    """What the live session leaves behind: a scale poll answered by members and guests (closed
    and revealed in a past session, still open in a live one) and questions with upvotes."""
    session = ArenaSession.objects.select_related("arena").get(pk=session.pk)
    host = Viewer(session_id=session.pk, audience=HOST, user=coordinator, participant_id=None)
    people = [participant_for_member(user=get_user_model().objects.get(email=email), session=session)
              for email in ("hr@omsorg-karlstad.example", "utbildning@komvux-karlstad.example")]
    people += [participant_join_guest(session=session, display_name=name) for name in ("Sara, Arbetsförmedlingen",
                                                                                   "Johan, Hemtjänst Hammarö")]
    viewers = [Viewer(session_id=session.pk, audience=MEMBER if p.user_id else GUEST, user=p.user,
                      participant_id=p.pk) for p in people]
    ids = iter(range(1, 1000))

    def run(viewer: Viewer, command: str, **fields) -> dict:
        return execute(viewer, {"type": command, "id": f"demo-{next(ids)}", "session": session.pk, **fields})

    poll = run(host, "poll.create", kind="scale", question="Hur akut är bristen på undersköterskor i hemtjänsten?")
    poll_id = poll["result"]["poll"]
    run(host, "poll.open", poll=poll_id)
    for viewer, answer in zip(viewers, urgency):
        run(viewer, "vote", poll=poll_id, answer=answer)
    run(host, "poll.reveal", poll=poll_id, revealed=True)
    question = run(viewers[-1], "question.ask", text="Kan vikarier valideras under sommaren?")["result"]["question"]
    run(viewers[0], "question.ask", text="Hur många APL-platser behövs per grupp?")
    for viewer in viewers[:2]:
        run(viewer, "question.upvote", question=question["id"])
    tally(session.pk)


def _seed_arena(today: dt.date) -> Arena:
    """A branch arena for care (vård och omsorg): members, a step up samverkanstrappan, a closed
    session with decisions, action items, a poll and questions, a session live today (guests
    join with the code shown on its host view) and a session coming up."""
    coordinator = get_user_model().objects.get(email="koordinator@regionvarmland.example")
    organisations = {org.name: org for org in Organisation.objects.filter(name__in=[
        REGION_NAME, EMPLOYERS["omsorg"][0], "Karlstads kommun, Komvux (demo)", "Valideringscentrum Värmland (demo)"])}
    usk = SsykGroup.objects.get(code="5321")
    arena = arena_create(
        actor=coordinator, name=ARENA_NAME, lan=Lan.objects.get(code=LAN_CODE),
        description="Arbetsgivare, utbildningsanordnare och regionen i vård och omsorg möts fyra gånger om året "
                    "för att enas om vilka kompetensbehov som är mest akuta och vem som gör vad.",
        occupation_fields=[usk.occupation_field] if usk.occupation_field else [], ssyk_groups=[usk])
    for organisation in organisations.values():
        arena_member_add(actor=coordinator, arena=arena, organisation=organisation)
    komvux_user = get_user_model().objects.get(email="utbildning@komvux-karlstad.example")
    arena_host_set(actor=coordinator, arena=arena, user=komvux_user, host=True)
    arena_stage_set(actor=coordinator, arena=arena, stage=Stage.SAMSYN,
                    note="Alla parter ser bristen på undersköterskor i hemtjänsten som det mest akuta.")

    past = today - dt.timedelta(days=28)
    session = session_create(
        actor=coordinator, arena=arena, title="Branschrådets höstmöte", starts_at=_at(past, 9), ends_at=_at(past, 11),
        place="Region Värmland, Karlstad",
        agenda=["Läget i hemtjänsten", "Platser i språk- och yrkesutbildningen", "Validering till undersköterska"])
    items = list(session.agenda_items.all())
    session_state_set(actor=coordinator, session=session, state=ArenaSession.State.LIVE)
    agenda_item_update(actor=coordinator, item=items[0], title=items[0].title,
                       notes="Omsorg i Karlstad behöver 12 undersköterskor inom ett år; fler äldre bor kvar hemma.")
    agenda_item_update(actor=coordinator, item=items[1], title=items[1].title,
                       notes="Komvux kan öppna en andra grupp om praktikplatserna räcker.")
    need = Need.objects.filter(title="Undersköterskor till hemtjänsten i Karlstad").first()
    decision_create(actor=coordinator, session=session, agenda_item=items[0], visibility=Decision.Visibility.PUBLIC,
                    text="Undersköterskor till hemtjänsten är branschrådets första prioritering för 2027.",
                    needs=[need] if need else [], gaps=[usk])
    decision_create(actor=coordinator, session=session, agenda_item=items[1],
                    text="Komvux utreder en andra antagning till Undersköterska med svenska som andraspråk.",
                    occupations=[usk])
    omsorg = organisations[EMPLOYERS["omsorg"][0]]
    komvux = organisations["Karlstads kommun, Komvux (demo)"]
    action_item_create(actor=coordinator, session=session, agenda_item=items[1], owner_organisation=komvux,
                       text="Ta fram underlag för en andra antagning med start hösten 2027.",
                       due_on=today + dt.timedelta(days=14))
    placements = action_item_create(actor=coordinator, session=session, agenda_item=items[1],
                                    owner_organisation=omsorg, text="Erbjuda tio praktikplatser (APL) i hemtjänsten.",
                                    due_on=today + dt.timedelta(days=5))
    action_item_update(actor=coordinator, item=placements, text=placements.text, due_on=placements.due_on,
                       status=placements.Status.IN_PROGRESS, owner_organisation=omsorg, owner_user=None,
                       agenda_item=items[1], needs=[], occupations=[], gaps=[])
    validation = action_item_create(actor=coordinator, session=session, agenda_item=items[2],
                                    owner_organisation=organisations["Valideringscentrum Värmland (demo)"],
                                    text="Sprida informationen om validering till undersköterska till arbetsgivarna.",
                                    due_on=today - dt.timedelta(days=7))
    action_item_update(actor=coordinator, item=validation, text=validation.text, due_on=validation.due_on,
                       status=validation.Status.DONE, owner_organisation=validation.owner_organisation,
                       owner_user=None, agenda_item=items[2], needs=[], occupations=[], gaps=[])
    _seed_live_part(session, coordinator=coordinator, urgency=[5, 4, 5, 3])
    session_state_set(actor=coordinator, session=session, state=ArenaSession.State.CLOSED)

    live = session_create(
        actor=coordinator, arena=arena, title="Kompetensforum vård: extramöte om sommarvikarier",
        starts_at=_at(today, 8), ends_at=_at(today, 18), url="https://meet.example/kompetensforum",
        agenda=["Sommarens bemanning", "Snabbspår för vikarier"])
    session_state_set(actor=coordinator, session=live, state=ArenaSession.State.LIVE)
    _seed_live_part(live, coordinator=coordinator, urgency=[4])

    coming = today + dt.timedelta(days=10)
    session_create(actor=coordinator, arena=arena, title="Branschrådets vintermöte", starts_at=_at(coming, 13),
                   ends_at=_at(coming, 15), place="Karlstads bibliotek, Västra Torggatan 26, Karlstad",
                   agenda=["Uppföljning av åtgärderna", "Prioritering av behoven inför 2027", "Nästa steg i trappan"])
    return arena
