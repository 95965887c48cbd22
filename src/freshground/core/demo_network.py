"""The demo network as data: people, circles, centers, ties, follows and the demo logins (loaded by demo_data)."""

from __future__ import annotations

from dataclasses import dataclass, field

from freshground.network.models import CircleKind, JoinPolicy, MemberListVisibility, TieWant
from freshground.people.models import Visibility

DEMO_PASSWORD = "fresh-ground-demo"  # noqa: S105 - printed on purpose: the demo is a local trial
DEMO_DOMAIN = "example.org"

PUB, CIR, PRI = Visibility.PUBLIC, Visibility.CIRCLES, Visibility.PRIVATE


@dataclass(frozen=True)
class PersonSpec:
    key: str
    name: str
    place: str = ""
    coords: tuple[float, float] | None = None
    languages: tuple[str, ...] = ("en",)
    skills: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    bio: str = ""
    visibility: dict[str, str] = field(default_factory=dict)
    admin: bool = False

    @property
    def email(self) -> str:
        return f"{self.key}@{DEMO_DOMAIN}"


@dataclass(frozen=True)
class CircleSpec:
    slug: str
    name: str
    kind: str
    place: str
    coords: tuple[float, float] | None
    join_policy: str
    member_list: str
    organisers: tuple[str, ...]
    members: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class CenterSpec:
    slug: str
    name: str
    tendency: str
    website: str
    editors: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    name: str


# fmt: off
LEEDS, GLASGOW, CHICAGO = (53.80, -1.55), (55.86, -4.25), (41.88, -87.63)
OAKLAND, TORONTO, MELBOURNE = (37.80, -122.27), (43.65, -79.38), (-37.81, 144.96)

PEOPLE: tuple[PersonSpec, ...] = (
    # The four demo logins.
    PersonSpec(
        "organiser", "Moth Okafor", "Leeds", LEEDS, ("en", "yo"), ("organising", "first aid", "public speaking"),
        ("health", "unions", "history"),
        "Porter at the Infirmary for nine years. I like meetings that end on time and minutes that get sent out.",
    ),
    PersonSpec(
        "editor", "Tamsin Reed", "Glasgow", GLASGOW, ("en", "gd"), ("editing", "writing", "printing"),
        ("political economy", "poetry"),
        "Edit pamphlets for Common Ground. Happy to send literature to any circle that asks.",
        {"place": PUB},
    ),
    PersonSpec(
        "admin", "Wren Halloway", "Toronto", TORONTO, ("en", "fr"), ("web development", "moderation"),
        ("housing", "cycling"), "Keeps this site running. Write to me if something is broken.", admin=True,
    ),
    PersonSpec(
        "member", "Sol Marin", "Leeds", LEEDS, ("en", "es"), ("translation", "cooking"), ("health", "migration"),
        "Healthcare assistant on the night shift. New to all this.", {"skills": PUB},
    ),
    # Leeds
    PersonSpec("priya", "Priya S.", "Leeds", LEEDS, ("en", "pa"), ("accounting",), ("unions", "cricket"),
               "Pharmacy technician.", {"bio": CIR}),
    PersonSpec("dev", "Dev Harrow", "Leeds", LEEDS, ("en",), ("design", "printing"), ("zines", "history"),
               "Designer. I'll make your leaflet look less like a ransom note."),
    PersonSpec("fern", "Fern", "Leeds", None, ("en",), ("research",), ("ecology", "housing"),
               "", {"interests": PRI, "place": PRI}),
    PersonSpec("kit", "Kit Wainwright", "Leeds", LEEDS, ("en", "pl"), ("first aid",), ("football", "unions"),
               "Ward clerk, union rep."),
    # Glasgow
    PersonSpec("ailsa", "Ailsa MacRae", "Glasgow", GLASGOW, ("en", "gd"), ("organising", "forklift"),
               ("unions", "folk music"), "Picker at the Hillington warehouse. Ask me about break times."),
    PersonSpec("jamal", "Jamal Aziz", "Glasgow", GLASGOW, ("en", "ar"), ("translation", "legal support"),
               ("migration", "labour law"), "Night shift, days off spent reading employment law.", {"place": PUB}),
    PersonSpec("rory", "Rory Finch", "Glasgow", GLASGOW, ("en",), ("video editing",), ("film", "philosophy"),
               "Philosophy student, projectionist at weekends."),
    PersonSpec("iona", "Iona B.", "Glasgow", None, ("en", "de"), ("writing",), ("feminism", "poetry"),
               "", {"bio": PRI}),
    PersonSpec("marek", "Marek Nowak", "Glasgow", GLASGOW, ("pl", "en"), ("driving", "cooking"), ("unions",),
               "Driver. Polish and English.", {"languages": PUB, "place": CIR}),
    # Chicago
    PersonSpec("lupe", "Lupe Ortega", "Chicago", CHICAGO, ("es", "en"), ("organising", "childcare"),
               ("education", "housing"), "Fourth grade teacher on the South Side."),
    PersonSpec("andre", "André Baptiste", "Chicago", CHICAGO, ("en", "ht"), ("public speaking", "research"),
               ("history", "political economy"), "Grad student in history. Marxist-Humanist reading group regular."),
    PersonSpec("hana", "Hana Kim", "Chicago", CHICAGO, ("en", "ko"), ("web development",), ("ecology", "cycling"),
               "Undergrad, bike mechanic, climate organiser.", {"skills": PUB}),
    PersonSpec("bo", "Bo Lindqvist", "Chicago", None, ("en", "sv"), ("photography",), ("education",),
               "Substitute teacher.", {"place": PRI}),
    PersonSpec("nia", "Nia Freeman", "Chicago", CHICAGO, ("en",), ("accounting", "organising"),
               ("education", "unions"), "Paraprofessional, building rep."),
    # Oakland
    PersonSpec("cass", "Cass Delgado", "Oakland", OAKLAND, ("en", "es"), ("organising", "cooking"),
               ("housing", "mutual aid"), "Fruitvale born and raised. Runs the Saturday food share."),
    PersonSpec("tomas", "Tomás Ruiz", "Oakland", OAKLAND, ("es", "en"), ("legal support", "translation"),
               ("migration", "housing"), "Tenant organiser, paralegal by day."),
    PersonSpec("june", "June Oyelaran", "Oakland", OAKLAND, ("en",), ("writing", "public speaking"),
               ("ecology", "history"), "Writer. Interested in how movements remember themselves."),
    PersonSpec("sky", "Sky", "Oakland", None, ("en",), ("music",), ("anarchism", "mutual aid"), "",
               {"bio": PRI, "interests": CIR}),
    PersonSpec("rafa", "Rafa Mendes", "Oakland", OAKLAND, ("pt", "en", "es"), ("driving",), ("unions", "football"),
               "Port truck driver."),
    # Toronto
    PersonSpec("meera", "Meera Pillai", "Toronto", TORONTO, ("en", "ta", "ml"), ("organising", "research"),
               ("housing", "feminism"), "Parkdale tenant for twelve years, building committee."),
    PersonSpec("olu", "Olu Adeyemi", "Toronto", TORONTO, ("en", "yo"), ("accounting",), ("housing",),
               "Bookkeeper for the tenants' association.", {"place": PUB}),
    PersonSpec("gabe", "Gabe Tremblay", "Toronto", TORONTO, ("fr", "en"), ("printing", "design"),
               ("ecology", "cycling"), "Screen printer."),
    PersonSpec("zofia", "Zofia K.", "Toronto", None, ("pl", "en"), ("childcare",), ("housing", "education"),
               "", {"place": PRI}),
    # Melbourne
    PersonSpec("liam", "Liam Nguyen", "Melbourne", MELBOURNE, ("en", "vi"), ("organising", "driving"),
               ("unions", "transport"), "Tram driver, Brunswick depot."),
    PersonSpec("tess", "Tess Whitlock", "Melbourne", MELBOURNE, ("en",), ("writing", "research"),
               ("political economy", "history"), "Reads too much Pannekoek. Convenes the Brunswick reading group."),
    PersonSpec("aroha", "Aroha Parata", "Melbourne", MELBOURNE, ("en", "mi"), ("first aid", "cooking"),
               ("ecology", "land"), "Tram conductor, climate and land justice."),
    PersonSpec("dimitri", "Dimitri Costa", "Melbourne", MELBOURNE, ("en", "el"), ("video editing",),
               ("film", "unions"), "Signal technician."),
    # Online and elsewhere
    PersonSpec("noor", "Noor H.", "Amman", None, ("ar", "en"), ("translation",), ("migration", "feminism"),
               "Translator, night owl.", {"bio": CIR}),
    PersonSpec("ezra", "Ezra Cohen", "Berlin", (52.52, 13.40), ("de", "en", "he"), ("web development",),
               ("philosophy", "history"), "Night-shift sysadmin. I read Raya Dunayevskaya at 3am."),
    PersonSpec("maria", "María José Paredes", "Santiago", None, ("es", "en"), ("writing", "editing"),
               ("ecology", "feminism"), "Editor at Green Horizon.", {"place": PUB}),
    PersonSpec("hugo", "Hugo Lefèvre", "Lyon", (45.76, 4.84), ("fr", "en"), ("research", "writing"),
               ("council communism", "history"), "Archivist. Keeps the council communist papers in order."),
    PersonSpec("yusuf", "Yusuf Demir", "Chicago", CHICAGO, ("tr", "en"), ("public speaking", "editing"),
               ("political economy",), "Editor at Transitional Press."),
)

CIRCLES: tuple[CircleSpec, ...] = (
    CircleSpec(
        "leeds-infirmary-workers", "Leeds Infirmary Workers", CircleKind.WORKPLACE, "Leeds", (53.802, -1.551),
        JoinPolicy.APPROVAL, MemberListVisibility.MEMBERS, ("organiser", "kit"), ("member", "priya", "fern"),
        "Porters, nurses, cleaners, clerks and everyone else who keeps the Infirmary going.\n\n"
        "We meet on the **first Tuesday** of the month after the day shift. Agency and bank staff are welcome.\n\n"
        "- staffing levels and break cover\n- the car-park charges\n- keeping each other informed across wards",
    ),
    CircleSpec(
        "leeds-city-circle", "Leeds City Circle", CircleKind.CITY, "Leeds", LEEDS,
        JoinPolicy.OPEN, MemberListVisibility.PUBLIC, ("dev",), ("organiser", "member", "priya", "kit"),
        "An open circle for anyone in Leeds: a monthly discussion, a reading shelf at the community centre, and a "
        "place to find the workplace and neighbourhood circles near you.",
    ),
    CircleSpec(
        "glasgow-warehouse-circle", "Glasgow Warehouse Circle", CircleKind.WORKPLACE, "Glasgow", (55.85, -4.36),
        JoinPolicy.APPROVAL, MemberListVisibility.MEMBERS, ("ailsa",), ("jamal", "marek"),
        "Warehouse and logistics workers around Hillington and the M8.\n\n"
        "We swap notes on rotas, heat, and the scanners that time our toilet breaks. Drivers welcome.",
    ),
    CircleSpec(
        "glasgow-students", "Glasgow Students' Circle", CircleKind.SCHOOL, "Glasgow", (55.872, -4.289),
        JoinPolicy.OPEN, MemberListVisibility.PUBLIC, ("rory",), ("iona", "jamal"),
        "Students at the universities and colleges in Glasgow. Reading groups, rent, and solidarity with campus "
        "workers.",
    ),
    CircleSpec(
        "hyde-park-students", "Hyde Park Students", CircleKind.SCHOOL, "Chicago", (41.79, -87.60),
        JoinPolicy.OPEN, MemberListVisibility.PUBLIC, ("hana",), ("andre", "yusuf"),
        "University students on the South Side. We run a weekly reading group (this term: *Capital*, volume one) "
        "and support the campus dining workers.",
    ),
    CircleSpec(
        "chicago-teachers", "Chicago Teachers' Circle", CircleKind.WORKPLACE, "Chicago", CHICAGO,
        JoinPolicy.APPROVAL, MemberListVisibility.MEMBERS, ("lupe", "nia"), ("bo", "andre"),
        "Teachers, paraprofessionals, clinicians and support staff in Chicago public schools.\n\n"
        "We share lesson plans as readily as grievances.",
    ),
    CircleSpec(
        "oakland-city-circle", "Oakland City Circle", CircleKind.CITY, "Oakland", OAKLAND,
        JoinPolicy.OPEN, MemberListVisibility.PUBLIC, ("june",), ("cass", "tomas", "sky", "rafa"),
        "Anyone in Oakland. Monthly potluck and discussion; we also keep a list of who can help with what.",
    ),
    CircleSpec(
        "fruitvale-neighbours", "Fruitvale Neighbours", CircleKind.NEIGHBOURHOOD, "Oakland", (37.775, -122.224),
        JoinPolicy.OPEN, MemberListVisibility.MEMBERS, ("cass",), ("tomas", "sky"),
        "Neighbours in Fruitvale: the Saturday food share, repairs, and standing together when the landlords "
        "come knocking. *Se habla español.*",
    ),
    CircleSpec(
        "parkdale-tenants", "Parkdale Tenants' Circle", CircleKind.NEIGHBOURHOOD, "Toronto", (43.64, -79.44),
        JoinPolicy.APPROVAL, MemberListVisibility.MEMBERS, ("meera",), ("olu", "gabe", "zofia", "admin"),
        "Tenants in Parkdale's high-rises and rooming houses.\n\n"
        "We keep a repairs log for every building, go to the tribunal together, and answer the door together.",
    ),
    CircleSpec(
        "melbourne-tram-workers", "Melbourne Tram Workers", CircleKind.WORKPLACE, "Melbourne", (-37.77, 144.96),
        JoinPolicy.APPROVAL, MemberListVisibility.MEMBERS, ("liam",), ("aroha", "dimitri"),
        "Drivers, conductors, signal and track workers across the depots.",
    ),
    CircleSpec(
        "brunswick-reading-group", "Brunswick Reading Group", CircleKind.CITY, "Melbourne", (-37.767, 144.962),
        JoinPolicy.OPEN, MemberListVisibility.PUBLIC, ("tess",), ("liam", "aroha"),
        "We read one text a month, slowly, and argue kindly. Everyone has read it for the first time once.",
    ),
    CircleSpec(
        "night-shift-online", "Night Shift Online", CircleKind.ONLINE, "", None,
        JoinPolicy.OPEN, MemberListVisibility.PUBLIC, ("ezra",), ("noor", "member", "marek", "jamal"),
        "For people who work nights, wherever they are. A video call at 3am UTC every Wednesday, and a thread "
        "that never sleeps.",
    ),
)

CENTERS: tuple[CenterSpec, ...] = (
    CenterSpec(
        "common-ground-press", "Common Ground Press", "democratic socialist", "https://example.org/common-ground",
        ("editor",),
        "We publish short, plain pamphlets on public services, the NHS and the unions, and send speakers to any "
        "circle that asks.\n\n**Free** to circles that cannot pay.",
    ),
    CenterSpec(
        "thistle-library", "Thistle Library", "libertarian socialist / anarchist", "",
        ("sky", "gabe"),
        "A lending library and small press in the libertarian socialist tradition: self-management, mutual aid, "
        "and organising without bosses — including our own.",
    ),
    CenterSpec(
        "new-beginnings", "New Beginnings", "Marxist-Humanist", "https://example.org/new-beginnings",
        ("ezra", "andre"),
        "Study materials and a quarterly journal in the Marxist-Humanist tradition. We believe the "
        "self-activity of working people is where theory starts.",
    ),
    CenterSpec(
        "transitional-press", "Transitional Press", "Trotskyist", "",
        ("yusuf",),
        "Classic texts in new translations, a monthly bulletin, and advice on building democratic rank-and-file "
        "caucuses.",
    ),
    CenterSpec(
        "green-horizon", "Green Horizon", "ecosocialist", "https://example.org/green-horizon",
        ("maria",),
        "Ecosocialist research and speakers: climate, land, water, and a just transition that workers design.",
    ),
    CenterSpec(
        "councils-archive", "Workers' Councils Archive", "council communist", "",
        ("hugo", "tess"),
        "An archive and reading guide for the council communist tradition, from 1918 to today. We answer "
        "questions, lend scans, and join reading groups online.",
    ),
)

# (circle, center, wants, acknowledged, note)
TIES: tuple[tuple[str, str, tuple[str, ...], bool, str], ...] = (
    ("leeds-infirmary-workers", "common-ground-press", (TieWant.LITERATURE, TieWant.SPEAKERS), True,
     "Could you send 40 copies of the NHS staffing pamphlet?"),
    ("leeds-infirmary-workers", "new-beginnings", (TieWant.LITERATURE,), False, ""),
    ("leeds-city-circle", "common-ground-press", (TieWant.SPEAKERS, TieWant.LINKUPS), True, ""),
    ("glasgow-warehouse-circle", "thistle-library", (TieWant.ADVICE, TieWant.LITERATURE), True,
     "Advice on organising across agency and direct staff would help."),
    ("glasgow-students", "councils-archive", (TieWant.LITERATURE,), False, ""),
    ("hyde-park-students", "new-beginnings", (TieWant.LITERATURE, TieWant.SPEAKERS), True, ""),
    ("hyde-park-students", "transitional-press", (TieWant.LITERATURE,), False, ""),
    ("chicago-teachers", "transitional-press", (TieWant.ADVICE,), True, ""),
    ("oakland-city-circle", "green-horizon", (TieWant.SPEAKERS, TieWant.LINKUPS), True, ""),
    ("fruitvale-neighbours", "thistle-library", (TieWant.ADVICE,), False, ""),
    ("parkdale-tenants", "thistle-library", (TieWant.LINKUPS,), True, ""),
    ("melbourne-tram-workers", "green-horizon", (TieWant.LITERATURE,), False, ""),
    ("brunswick-reading-group", "councils-archive", (TieWant.LITERATURE, TieWant.LINKUPS), True, ""),
    ("night-shift-online", "new-beginnings", (TieWant.LINKUPS,), False, ""),
)

# (person, circle slug or None, center slug or None)
FOLLOWS: tuple[tuple[str, str | None, str | None], ...] = (
    ("member", None, "common-ground-press"),
    ("member", "glasgow-warehouse-circle", None),
    ("organiser", None, "common-ground-press"),
    ("organiser", "parkdale-tenants", None),
    ("editor", "leeds-infirmary-workers", None),
    ("editor", "glasgow-warehouse-circle", None),
    ("admin", "oakland-city-circle", None),
    ("fern", None, "green-horizon"),
    ("rory", None, "councils-archive"),
    ("hana", None, "green-horizon"),
    ("june", None, "thistle-library"),
    ("tess", "night-shift-online", None),
    ("noor", None, "new-beginnings"),
    ("meera", "fruitvale-neighbours", None),
    ("cass", "parkdale-tenants", None),
    ("liam", None, "transitional-press"),
    ("maria", "oakland-city-circle", None),
    ("hugo", "brunswick-reading-group", None),
)

# A request still waiting for the organisers: (person, circle, message).
PENDING_REQUESTS: tuple[tuple[str, str, str], ...] = (
    ("dev", "leeds-infirmary-workers", "I do the print runs for the city circle and would like to help with yours."),
    ("rafa", "glasgow-warehouse-circle", "Port driver in Oakland, curious how you handle agency rotas."),
)

INVITES: tuple[tuple[str, str], ...] = (("leeds-infirmary-workers", "organiser"),)

# fmt: on

LOGINS: tuple[tuple[str, str], ...] = (
    ("organiser", "Circle organiser (Leeds Infirmary Workers)"),
    ("editor", "Center editor (Common Ground Press)"),
    ("admin", "Site admin"),
    ("member", "Member (Leeds circles, Night Shift Online)"),
)
