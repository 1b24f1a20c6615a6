"""The data dictionary (dataordlista) of the open data files: every column of every file, its
type and its meaning in Swedish and English. The files are written from these columns, in this
order, so the dictionary cannot list a column the files lack or miss one they have.

The meanings are given in both languages whatever the reader's language, as a data dictionary
is read by people and programs in either; they are data about the files, not interface text.
"""

from __future__ import annotations

from dataclasses import dataclass

from opendata.models import OpenDataSnapshot

Kind = OpenDataSnapshot.Kind


@dataclass(frozen=True)
class Column:
    key: str
    type: str
    """``text``, ``integer``, ``decimal`` (one decimal, a full stop as separator), ``date``
    (YYYY-MM-DD), ``month`` (YYYY-MM) or ``boolean`` (``true``/``false``)."""
    sv: str
    en: str


TYPES = {
    "text": ("text", "text"),
    "integer": ("heltal", "integer"),
    "decimal": ("decimaltal med en decimal, punkt som decimaltecken", "decimal number with one decimal, full stop as the decimal separator"),
    "date": ("datum, ÅÅÅÅ-MM-DD", "date, YYYY-MM-DD"),
    "month": ("månad, ÅÅÅÅ-MM", "month, YYYY-MM"),
    "boolean": ("sant/falskt: true eller false", "true or false"),
}

_MONTH = Column("month", "month", "Månaden som filen gäller.", "The month the file is for.")
_LAN = Column("lan", "text", "Länskod (SCB), två siffror, t.ex. 17 för Värmlands län.",
              "County code (SCB), two digits, e.g. 17 for Värmland.")

DEMAND_SUPPLY_COLUMNS: tuple[Column, ...] = (
    _MONTH,
    _LAN,
    Column("as_of", "date", "Dagen då siffrorna togs ut: läget i slutet av månaden, normalt den första dagen i nästa "
                            "månad. Horisonterna räknas från den dagen.",
           "The day the figures were taken: the state at the end of the month, normally the first day of the next "
           "month. The horizons are counted from that day."),
    Column("horizon", "text", "Horisont: now = behov som ska vara tillsatta senast i dag, 1y = inom ett år, 1-3y = inom "
                              "tre år, 3-5y = inom fem år. Horisonterna är kumulativa: 1-3y innehåller 1y.",
           "Horizon: now = needs to be filled by today, 1y = within one year, 1-3y = within three years, 3-5y = "
           "within five years. The horizons are cumulative: 1-3y includes 1y."),
    Column("horizon_date", "date", "Datumet som horisonten står för (as_of plus 0, 1, 3 eller 5 år).",
           "The date the horizon stands for (as_of plus 0, 1, 3 or 5 years)."),
    Column("level", "text", "Radens nivå: occupation = yrkesgrupp (SSYK 2012, fyrsiffrig), occupation_field = "
                            "yrkesområde (summan av dess yrkesgrupper), total = hela länet.",
           "The row's level: occupation = occupation group (SSYK 2012, four digits), occupation_field = occupation "
           "field (the sum of its groups), total = the whole county."),
    Column("ssyk4", "text", "Yrkesgruppens kod i SSYK 2012 (fyra siffror); tom på andra nivåer.",
           "The occupation group's SSYK 2012 code (four digits); empty on other levels."),
    Column("occupation", "text", "Yrkesgruppens benämning (SSYK 2012); tom på andra nivåer.",
           "The occupation group's name (SSYK 2012); empty on other levels."),
    Column("occupation_field", "text", "Yrkesområde (Arbetsförmedlingens taxonomi); tomt för totalen.",
           "Occupation field (Arbetsförmedlingen's taxonomy); empty for the total."),
    Column("recruitment", "integer", "Efterfrågan, nyrekrytering: antal personer i registrerade kompetensbehov som "
                                     "gäller och ska vara tillsatta senast horisontens datum.",
           "Demand, new recruits: people in registered competence needs that apply and are to be filled by the "
           "horizon date."),
    Column("upskilling", "integer", "Efterfrågan, kompetensutveckling av anställda: som recruitment.",
           "Demand, upskilling of employees: as recruitment."),
    Column("demand", "integer", "Efterfrågan totalt: recruitment + upskilling.", "Total demand: recruitment + upskilling."),
    Column("employers", "integer", "Antal olika arbetsgivare bakom efterfrågan som räknas.",
           "Number of distinct employers behind the demand counted."),
    Column("demand_suppressed", "boolean",
           "Röjandekontroll: true betyder att behov som inte är offentliga hade bidragit till radens efterfrågan men "
           "utelämnats, eftersom de kommer från färre än 3 arbetsgivare (i yrkesgruppen, länet, syftet och "
           "halvåret för när behovet ska vara tillsatt). Siffrorna visar då bara resten. Motsvarar markeringen "
           "”färre än 3 arbetsgivare” på Matchplats.",
           "Disclosure control: true means that needs that are not public would have contributed to the row's demand "
           "but were left out, because they come from fewer than 3 employers (in the occupation group, county, "
           "purpose and half-year of the needed-by date). The figures then show only the rest. The same as the mark "
           "“fewer than 3 employers” on Matchplats."),
    Column("supply", "decimal", "Utbud: personer som beräknas fullfölja en utbildning (beviljad, pågående eller "
                                "planerad) som ges i länet mellan as_of och horisontens datum. En utbildnings platser "
                                "delas lika mellan dess målyrken (utan målyrken: efter hur väl den matchar offentliga "
                                "behov), därför kan talet ha decimaler.",
           "Supply: people expected to complete a programme (granted, running or planned) given in the county "
           "between as_of and the horizon date. A programme's places are split equally between its target occupations "
           "(without any: by how well it matches public needs), so the figure can have decimals."),
    Column("supply_applied", "decimal", "Som supply, för utbildningar som det har ansökts om men som inte är "
                                        "beviljade; ingår inte i supply eller gap.",
           "As supply, for programmes applied for but not granted; not part of supply or gap."),
    Column("gap", "decimal", "demand − supply: över noll behövs fler personer än de planerade utbildningarna ger.",
           "demand − supply: above zero, more people are needed than planned programmes bring."),
    Column("programmes", "integer", "Antal utbildningar som bidrar till supply.",
           "Number of programmes contributing to supply."),
    Column("validation_accepted", "integer", "Den del av demand (personer) vars arbetsgivare godtar validering av "
                                             "tidigare kunnande.",
           "The part of demand (people) whose employer accepts validation of prior learning."),
    Column("language_integrated_welcome", "integer", "Den del av demand vars arbetsgivare välkomnar språkintegrerad "
                                                     "utbildning (yrke och svenska tillsammans).",
           "The part of demand whose employer welcomes language-integrated training (trade and Swedish together)."),
    Column("broadened_recruitment", "integer", "Den del av demand där arbetsgivaren söker bredare rekrytering.",
           "The part of demand where the employer seeks broadened recruitment."),
    Column("equality_suppressed", "boolean", "Som demand_suppressed, för de tre kolumnerna ovan.",
           "As demand_suppressed, for the three columns above."),
)

DECISION_COLUMNS: tuple[Column, ...] = (
    _MONTH,
    _LAN,
    Column("arena", "text", "Branscharenans namn.", "The branch arena's name."),
    Column("session_date", "date", "Dagen för mötet där beslutet fattades (inom månaden).",
           "The day of the session where the decision was taken (within the month)."),
    Column("decision", "text", "Beslutet, som arenan publicerade det.", "The decision, as the arena published it."),
)

COLUMNS: dict[str, tuple[Column, ...]] = {Kind.DEMAND_SUPPLY: DEMAND_SUPPLY_COLUMNS, Kind.DECISIONS: DECISION_COLUMNS}

FILE_STEMS: dict[str, str] = {Kind.DEMAND_SUPPLY: "efterfragan-och-utbud", Kind.DECISIONS: "beslut"}
"""The file name (without extension) of each kind, part of its stable URL."""

TITLES: dict[str, tuple[str, str]] = {
    Kind.DEMAND_SUPPLY: ("Efterfrågan och utbud per yrke och horisont", "Demand and supply per occupation and horizon"),
    Kind.DECISIONS: ("Branscharenornas offentliga beslut", "Public decisions of the branch arenas"),
}
