"""Generate the demo personas: invented CVs shipped as real PDF, DOCX and TXT files.

The personas are used in demos (a consultant uploads "a citizen's CV") and in
tests of CV reading, PII redaction and competence extraction. Every person,
employer address, phone number and e-mail address is invented:

* e-mail addresses use the reserved domains ``example.com/.net/.org``;
* phone numbers start with 1, which the Danish numbering plan keeps for short
  service numbers, so no subscriber has them;
* street names are real (so address recognition can be demonstrated), house
  numbers and floors are made up.

The CVs deliberately contain contact details (and one a date of birth) so that
redaction can be shown; they deliberately never mention health.

Output is deterministic: running the script twice gives byte-identical files
(reportlab's ``invariant`` mode; DOCX core properties and zip timestamps are
fixed). Run from the repository root::

    .venv/bin/python scripts/make_personas.py            # writes jobmatch/resources/personas/
    .venv/bin/python scripts/make_personas.py --out DIR  # writes somewhere else

The module does not import :mod:`jobmatch`, so it runs without installing the
package; tests import it by path and call :func:`main`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

#: Where the generated files go by default (inside the package, so they ship).
DEFAULT_OUT_DIR = Path(__file__).resolve().parent.parent / "jobmatch" / "resources" / "personas"

#: Name of the index file listing all personas.
INDEX_NAME = "personas.json"

#: Fixed timestamp written into DOCX metadata and zip entries (determinism).
FIXED_DATETIME = dt.datetime(2026, 1, 1, 12, 0, 0, tzinfo=dt.timezone.utc)
_ZIP_DATE_TIME = (2026, 1, 1, 12, 0, 0)


# --------------------------------------------------------------------------- data model


@dataclass(frozen=True)
class Job:
    """One line of work history: a period, a position and 0–4 task bullets."""

    period: str
    title: str
    employer: str
    bullets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Education:
    period: str
    text: str


@dataclass(frozen=True)
class CV:
    """Everything needed to render one persona's CV and its index entry."""

    id: str
    name: str
    lang: str  # "da" | "en"
    format: str  # "pdf" | "docx" | "txt"
    street: str
    postcode: int
    city: str
    phone: str
    email: str
    headline: str
    title_da: str
    title_en: str
    summary_da: str
    profile: tuple[str, ...]  # paragraphs of "Om mig"
    jobs: tuple[Job, ...]
    education: tuple[Education, ...]
    courses: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()  # "Faglige kompetencer" as sentences/bullets
    languages: tuple[str, ...] = ()
    it_skills: tuple[str, ...] = ()
    interests: str = ""
    extra_header: tuple[str, ...] = ()  # e.g. date of birth in old-style CVs
    references: str = ""
    #: DOCX: work history (and education) as a table instead of paragraphs
    table: bool = False

    @property
    def filename(self) -> str:
        return f"{self.id}.{self.format}"

    def index_entry(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "path": self.filename,
            "lang": self.lang,
            "postcode": self.postcode,
            "format": self.format,
            "title_da": self.title_da,
            "title_en": self.title_en,
            "summary_da": self.summary_da,
        }


HEADINGS: dict[str, dict[str, str]] = {
    "da": {
        "profile": "Om mig",
        "skills": "Faglige kompetencer",
        "jobs": "Erhvervserfaring",
        "education": "Uddannelse",
        "courses": "Kurser og certifikater",
        "languages": "Sprog",
        "it": "IT-kompetencer",
        "interests": "Fritid og interesser",
        "references": "Referencer",
        "phone": "Telefon",
        "email": "E-mail",
        "address": "Adresse",
        "period": "Periode",
        "position": "Stilling og arbejdsopgaver",
        "cv": "CV",
    },
    "en": {
        "profile": "About me",
        "skills": "Skills",
        "jobs": "Work experience",
        "education": "Education",
        "courses": "Courses and certificates",
        "languages": "Languages",
        "it": "IT skills",
        "interests": "Interests",
        "references": "References",
        "phone": "Phone",
        "email": "E-mail",
        "address": "Address",
        "period": "Period",
        "position": "Position and tasks",
        "cv": "Curriculum vitae",
    },
}


# --------------------------------------------------------------------------- the personas

PERSONAS: tuple[CV, ...] = (
    CV(
        id="lagermedarbejder",
        name="Dennis Sejrbo Kragelund",
        lang="da",
        format="pdf",
        street="Brøndbyøstervej 63, 1. th.",
        postcode=2605,
        city="Brøndby",
        phone="+45 14 62 08 37",
        email="dennis.kragelund@example.com",
        headline="Lagermedarbejder med truckcertifikat",
        title_da="Lagermedarbejder med truckcertifikat",
        title_en="Warehouse worker with forklift licence",
        summary_da=(
            "Ti års erfaring fra lager og pakkeri i Brøndby og Glostrup: pluk og pak med scanner, "
            "truckkørsel (certifikat B), varemodtagelse og lagerstyring. Mødestabil og samarbejdsvillig."
        ),
        profile=(
            "Jeg er en mødestabil og ansvarsbevidst lagermedarbejder med ti års erfaring fra lager og "
            "logistik. Jeg trives med fysisk arbejde i højt tempo, og jeg er vant til at arbejde både "
            "selvstændigt og i teams på skiftende vagter. Kolleger beskriver mig som samarbejdsvillig og "
            "rolig under pres, også i de travle uger op til jul. Jeg søger et fast job på et lager, gerne "
            "med truckkørsel.",
        ),
        jobs=(
            Job(
                "04/2021 – 09/2026",
                "Lagermedarbejder",
                "Nordlager A/S, Brøndby",
                (
                    "Pluk og pak af ordrer til butikker og webkunder med håndscanner",
                    "Kørsel med gaffeltruck og reachtruck ved ind- og udlagring (truckcertifikat B)",
                    "Varemodtagelse, kontrol af følgesedler og registrering i lagerstyringssystemet",
                    "Oplæring af nye kolleger og vikarer i sikkerhed og arbejdsgange",
                ),
            ),
            Job(
                "03/2016 – 03/2021",
                "Pakkeri- og lagermedarbejder",
                "Vestegnens Distribution ApS, Glostrup",
                (
                    "Pakning og palletering af forsendelser efter ordrelister",
                    "Lastning af lastbiler med palleløfter og elektrisk stabler",
                    "Deltog i den årlige vareoptælling og løbende lagerregulering",
                ),
            ),
            Job(
                "08/2014 – 02/2016",
                "Butiksmedhjælper",
                "Dagligvarebutik, Brøndby Strand",
                ("Varemodtagelse, varepåfyldning og kasseafløsning",),
            ),
        ),
        education=(
            Education("2017", "Lageroperatør – AMU-forløb, Transport og logistik, Hvidovre"),
            Education("2012–2013", "Grundforløb, Transport og logistik (erhvervsuddannelse), Hvidovre"),
            Education("2002–2012", "Folkeskolens afgangsprøve (9. klasse), Brøndby"),
        ),
        courses=(
            "Truckcertifikat B (gaffeltruck og reachtruck), AMU, 2016",
            "Arbejdsmiljø og sikkerhed på lageret, AMU, 2019",
            "Førstehjælp, 12 timer, 2023",
            "Kørekort B",
        ),
        languages=(
            "Dansk: modersmål",
            "Engelsk: middel – jeg kan læse arbejdsinstrukser og tale med udenlandske chauffører",
        ),
        it_skills=(
            "Lagerstyringssystem (WMS) og håndscanner",
            "Microsoft Dynamics NAV, lagermodulet",
            "Outlook og mail på telefonen",
        ),
        interests="Jeg spiller fodbold i den lokale klub og tager gerne på fisketur med min søn.",
    ),
    CV(
        id="sosu_assistent",
        name="Amina Haddou Krogh",
        lang="da",
        format="docx",
        street="Frederikssundsvej 112, 3. th.",
        postcode=2400,
        city="København NV",
        phone="+45 17 29 44 05",
        email="amina.h.krogh@example.net",
        headline="Social- og sundhedsassistent",
        title_da="Social- og sundhedsassistent med demenserfaring",
        title_en="Social and healthcare assistant with dementia experience",
        summary_da=(
            "Uddannet SOSU-assistent med ti års erfaring fra plejecenter og hjemmepleje: "
            "medicinhåndtering, personlig pleje, dokumentation i Cura og demensomsorg."
        ),
        profile=(
            "Jeg er uddannet social- og sundhedsassistent og har arbejdet med ældre borgere i "
            "hjemmeplejen og på plejecenter siden 2014. Jeg er omsorgsfuld og struktureret, og jeg "
            "lægger vægt på en rolig og respektfuld kontakt med både borgere og pårørende.",
            "Jeg er god til at samarbejde på tværs af faggrupper, og jeg bevarer overblikket på en "
            "travl vagt. Jeg har en særlig interesse for demens og for den sidste tid i livet.",
        ),
        jobs=(
            Job(
                "09/2019 – 06/2026",
                "Social- og sundhedsassistent",
                "Plejecentret Birkelyhaven, Københavns Kommune",
                (
                    "Medicinhåndtering: dosering og administration af medicin samt observation af virkning "
                    "og bivirkninger",
                    "Personlig pleje, sårpleje og forflytninger efter instruks fra sygeplejersken",
                    "Dokumentation i omsorgssystemet Cura og udarbejdelse af døgnrytmeplaner",
                    "Kontaktperson for borgere med demens i tæt samarbejde med demenskoordinator og pårørende",
                ),
            ),
            Job(
                "03/2016 – 08/2019",
                "Social- og sundhedsassistent",
                "Hjemmeplejen Bispebjerg, København NV",
                (
                    "Besøg i borgernes eget hjem med personlig pleje, medicingivning og observationer",
                    "Opfølgning på ændringer i borgerens tilstand og kontakt til egen læge",
                    "Tværfagligt samarbejde med terapeuter, visitation og sygeplejersker",
                ),
            ),
            Job(
                "08/2014 – 02/2016",
                "Social- og sundhedshjælper (afløser)",
                "Hjemmeplejen Nørrebro, København N",
                ("Praktisk hjælp og personlig pleje i aften- og weekendvagter",),
            ),
        ),
        education=(
            Education("2014–2016", "Social- og sundhedsassistentuddannelsen, SOSU H"),
            Education("2013–2014", "Social- og sundhedshjælperuddannelsen, SOSU H"),
            Education("2010–2012", "Hf-eksamen, VUC København"),
        ),
        courses=(
            "Demens – modul 1 og 2, 2020",
            "Palliation og den palliative indsats, 2022",
            "Forflytning og brug af hjælpemidler, 2018",
            "Førstehjælp og hjerte-lunge-redning, 2024",
            "Kørekort B",
        ),
        languages=(
            "Dansk: modersmål",
            "Arabisk: flydende i tale, grundlæggende skriftligt",
            "Engelsk: godt",
        ),
        it_skills=(
            "Cura (omsorgssystem) og FMK – Fælles Medicinkort",
            "Outlook, Teams og Word",
        ),
        interests="Jeg går til yoga, læser krimier og laver mad med familien i weekenden.",
        table=True,
    ),
    CV(
        id="kok",
        name="Mikkel Rasbjerg Thorsager",
        lang="da",
        format="pdf",
        street="Valby Langgade 88, 2. tv.",
        postcode=2500,
        city="Valby",
        phone="+45 16 83 51 20",
        email="mikkel.thorsager@example.org",
        headline="Kok og souschef",
        title_da="Kok med erfaring fra à la carte og kantine",
        title_en="Chef with à la carte and canteen experience",
        summary_da=(
            "Uddannet kok (2011) med erfaring som souschef i à la carte, hotel og kantine: "
            "menuplanlægning, råvarer, hygiejne og egenkontrol, oplæring af elever. Langt CV."
        ),
        profile=(
            "Jeg blev uddannet kok i 2011 og har siden arbejdet i à la carte-restauranter, et hotelkøkken "
            "og et kantinekøkken i København. Jeg er kreativ og struktureret, og jeg trives med at "
            "planlægge menuer ud fra sæsonens råvarer og et fast budget. I en travl service er jeg rolig "
            "under pres og bevarer overblikket, og jeg er vant til at tage ansvaret for køkkenet, når "
            "køkkenchefen har fri.",
            "Jeg er samarbejdsvillig og har oplært mange elever gennem årene. Jeg lægger vægt på god "
            "hygiejne, ordentlig egenkontrol og et godt arbejdsmiljø, hvor der er plads til en sjov "
            "bemærkning. Nu søger jeg nye udfordringer, gerne med dagarbejde i et produktions- eller "
            "kantinekøkken.",
        ),
        skills=(
            "Madlavning à la carte, buffet og selskaber på op til 200 kuverter",
            "Menuplanlægning og kalkulation af retter ud fra budget og sæson",
            "Indkøb af råvarer, varebestilling og modtagekontrol",
            "Egenkontrol og HACCP, herunder temperaturmålinger og dokumentation",
            "Specialkost og allergener (glutenfri, laktosefri, vegetarisk og vegansk)",
            "Vagtplanlægning og oplæring af elever og nye kolleger",
        ),
        jobs=(
            Job(
                "05/2022 – 08/2026",
                "Souschef",
                "Restaurant Gammeltoft, København K",
                (
                    "Ansvar for à la carte-køkkenet med seks kokke og to elever på aftenholdet",
                    "Menuplanlægning, kalkulation og indkøb af råvarer sammen med køkkenchefen",
                    "Egenkontrol, HACCP og modtagelse af Fødevarestyrelsens kontrolbesøg",
                    "Vagtplanlægning og oplæring af elever",
                ),
            ),
            Job(
                "02/2018 – 04/2022",
                "Kok",
                "Hotel Vesterport Park, København V",
                (
                    "Morgenmad, frokostbuffet og à la carte i hotellets restaurant",
                    "Selskaber og konferencer med op til 200 kuverter",
                    "Bestilling af varer og modtagekontrol af leverancer",
                ),
            ),
            Job(
                "09/2014 – 01/2018",
                "Kok",
                "Kantinen i Valby Erhvervscenter, Valby",
                (
                    "Dagens varme ret og salatbar til omkring 350 gæster om dagen",
                    "Specialkost til medarbejdere med allergier",
                    "Arbejde med at nedbringe madspild, bl.a. ved bedre planlægning af portioner",
                ),
            ),
            Job(
                "08/2011 – 08/2014",
                "Kok",
                "Bistro Østervold, Frederiksberg",
                (
                    "Koldt køkken, forretter og desserter i en travl bistro",
                    "Klargøring og mise en place før service",
                ),
            ),
        ),
        education=(
            Education("2007–2011", "Kokkeuddannelsen (erhvervsuddannelse), Hotel- og Restaurantskolen, Valby"),
            Education("2006–2007", "10. klasse, Valby"),
            Education("1997–2006", "Folkeskolens afgangsprøve, København"),
        ),
        courses=(
            "Hygiejnebevis (hygiejnekursus for fødevarevirksomheder), 2011 – fornyet 2019",
            "Allergener og specialkost, AMU, 2021",
            "Arbejdsmiljørepræsentant – grunduddannelse, 2020",
            "Økologi i professionelle køkkener, 2019",
            "Førstehjælp, 2023",
            "Kørekort B",
        ),
        languages=(
            "Dansk: modersmål",
            "Engelsk: godt – har arbejdet med kolleger fra mange lande",
            "Tysk: lidt (skoleniveau)",
        ),
        it_skills=(
            "Vagtplanlægning i Planday",
            "Bestilling i grossisternes webshops",
            "Excel til kalkulationer og Word til menukort",
            "Digital egenkontrol på tablet",
        ),
        interests=(
            "I min fritid bager jeg surdejsbrød, tager på svampeture og laver mad med venner. "
            "Jeg løber to gange om ugen og har gennemført Copenhagen Half Marathon."
        ),
        references="Gives gerne ved henvendelse.",
    ),
    CV(
        id="kontorassistent",
        name="Susanne Fjordvang Mikkelsen",
        lang="da",
        format="docx",
        street="Hvidovrevej 231, st. th.",
        postcode=2650,
        city="Hvidovre",
        phone="+45 15 70 36 92",
        email="s.fjordvang@example.com",
        headline="Kontorassistent",
        title_da="Kontorassistent med bogføring og kundeservice",
        title_en="Office clerk with bookkeeping and customer service",
        summary_da=(
            "Kontorassistent med 20 års erfaring: bogføring i e-conomic, fakturering, Excel, "
            "kundeservice og journalisering. Struktureret og serviceminded."
        ),
        profile=(
            "Jeg er en struktureret og serviceminded kontorassistent med mange års erfaring fra "
            "bogholderi, kundeservice og administration i mindre virksomheder. Jeg er nøjagtig, og jeg "
            "kan lide, når tingene er i orden – både bilagene og arkivet. Jeg er omstillingsparat og "
            "lærer hurtigt nye systemer. Jeg søger en stilling som kontorassistent eller "
            "bogholderassistent, gerne på fuld tid.",
        ),
        jobs=(
            Job(
                "01/2017 – 03/2026",
                "Kontorassistent",
                "Hvidovre VVS & Blik ApS, Hvidovre",
                (
                    "Bogføring af købs- og salgsbilag i e-conomic og månedlig bankafstemning",
                    "Fakturering, rykkere og opfølgning på debitorer",
                    "Kundeservice i telefonen og på mail, herunder tidsbestilling til montørerne",
                    "Journalisering og arkivering af sager, tilbud og kontrakter",
                ),
            ),
            Job(
                "04/2010 – 12/2016",
                "Administrativ medarbejder",
                "Boligselskabet Kystparken, Hvidovre",
                (
                    "Betjening af beboere ved skranken og besvarelse af henvendelser",
                    "Journalisering i ESDH-system og registrering af ind- og fraflytninger",
                    "Udarbejdelse af breve, referater og opslag",
                ),
            ),
            Job(
                "08/2006 – 03/2010",
                "Receptionist",
                "Søndergaard Revision, Valby",
                ("Reception, post, mødebooking og indtastning af bilag",),
            ),
        ),
        education=(
            Education("2004–2006", "Kontoruddannelse med speciale i administration (erhvervsuddannelse)"),
            Education("2001–2004", "Højere handelseksamen (HHX)"),
        ),
        courses=(
            "Excel for øvede – pivottabeller og opslagsfunktioner, 2022",
            "e-conomic: bogføring og momsafregning, 2018",
            "GDPR for administrative medarbejdere, 2019",
            "Kørekort B",
        ),
        languages=("Dansk: modersmål", "Engelsk: godt", "Tysk: middel"),
        it_skills=(
            "e-conomic",
            "Microsoft Excel, Word og Outlook",
            "ESDH-systemer til journalisering",
            "Elektronisk fakturering (NemHandel/EAN)",
        ),
        interests="Jeg synger i kor og bruger meget tid i min kolonihave.",
    ),
    CV(
        id="it_supporter",
        name="Jeppe Kallesøe Winther",
        lang="da",
        format="txt",
        street="Ballerup Byvej 45, 1. tv.",
        postcode=2750,
        city="Ballerup",
        phone="+45 19 05 63 48",
        email="jeppe.winther@example.net",
        headline="IT-supporter",
        title_da="IT-supporter (helpdesk, Windows, Active Directory)",
        title_en="IT support technician (helpdesk, Windows, Active Directory)",
        summary_da=(
            "Datatekniker med fem års erfaring fra helpdesk: 1st/2nd level support, Windows 11, "
            "Active Directory, Microsoft 365, ITIL og netværk. Tekstfil."
        ),
        profile=(
            "Jeg er IT-supporter med fem års erfaring fra helpdesk og 1st/2nd level support. Jeg er "
            "serviceminded og tålmodig, og jeg er god til at forklare teknik, så brugerne forstår det. "
            "Jeg arbejder struktureret med sagerne i ticketsystemet og er selvstændig, når jeg fejlsøger. "
            "Jeg søger et job i en IT-afdeling, hvor jeg kan udvikle mig i retning af drift og netværk.",
        ),
        jobs=(
            Job(
                "08/2022 – 07/2026",
                "IT-supporter",
                "Ballerup Erhvervsservice A/S, Ballerup",
                (
                    "1st og 2nd level support via telefon, mail og fjernskrivebord for ca. 800 brugere",
                    "Brugeradministration i Active Directory og Microsoft 365: oprettelse, rettigheder og "
                    "nulstilling af adgangskoder",
                    "Klargøring og udrulning af Windows 11-pc'er med Intune",
                    "Sagsbehandling efter ITIL-processerne for incidents og requests i TOPdesk",
                ),
            ),
            Job(
                "02/2020 – 07/2022",
                "Helpdeskmedarbejder",
                "Datahuset Vest ApS, Glostrup",
                (
                    "Fejlsøgning på netværk (DHCP, DNS og wifi) og printere hos kunderne",
                    "Opsætning af switche og access points under vejledning",
                    "Telefonisk support til små virksomheder",
                ),
            ),
            Job(
                "06/2017 – 01/2020",
                "Studiejob: salgsassistent",
                "Elektronikbutik, Kgs. Lyngby",
                ("Rådgivning af kunder om computere og telefoner samt opsætning af nye enheder",),
            ),
        ),
        education=(
            Education("2017–2020", "Datatekniker med speciale i infrastruktur (erhvervsuddannelse), Ballerup"),
            Education("2014–2017", "Studentereksamen (HTX)"),
        ),
        courses=(
            "ITIL 4 Foundation, 2023",
            "Microsoft Modern Desktop Administrator (MD-102), 2024",
            "CCNA – Introduction to Networks, 2021",
            "Kørekort B",
        ),
        languages=("Dansk: modersmål", "Engelsk: flydende"),
        it_skills=(
            "Windows 10 og 11, Windows Server",
            "Active Directory, Microsoft 365 og Intune",
            "TOPdesk og ServiceNow",
            "PowerShell (grundlæggende)",
            "TCP/IP, DNS, DHCP og VLAN",
        ),
        interests="Jeg bygger mit eget hjemmenetværk, spiller brætspil og cykler.",
    ),
    CV(
        id="nyuddannet_akademiker",
        name="Ida Marie Skovfoged",
        lang="da",
        format="pdf",
        street="Nørrebrogade 174, 4. tv.",
        postcode=2200,
        city="København N",
        phone="+45 13 48 92 71",
        email="ida.skovfoged@example.com",
        headline="Cand.scient.pol.",
        title_da="Nyuddannet cand.scient.pol. (analyse og projektstyring)",
        title_en="Recent graduate in political science (analysis and project management)",
        summary_da=(
            "Nyuddannet cand.scient.pol. (2026): analyse, statistik i R og SPSS, projektstyring og "
            "kommunikation. Erfaring fra studiejobs, ingen fast stilling endnu."
        ),
        profile=(
            "Jeg er nyuddannet cand.scient.pol. fra Københavns Universitet med speciale i kommunal "
            "beskæftigelsespolitik. Jeg er analytisk og nysgerrig, og jeg kan lide at omsætte data til "
            "konkrete anbefalinger. Gennem studiet og mit studiejob har jeg lært at arbejde struktureret "
            "med deadlines og at samarbejde i projektgrupper. Jeg formidler klart, både skriftligt og "
            "mundtligt, og søger en stilling som fuldmægtig, analytiker eller konsulent.",
        ),
        skills=(
            "Kvantitativ analyse og statistik i R og SPSS (regression og deskriptiv statistik)",
            "Kvalitative interviews og tematisk analyse",
            "Projektstyring: tidsplaner, milepæle og koordinering i projektgrupper",
            "Kommunikation: notater, præsentationer og formidling til ikke-fagfolk",
            "Kendskab til lovgivning og forvaltning på beskæftigelsesområdet",
        ),
        jobs=(
            Job(
                "02/2024 – 06/2026",
                "Studentermedhjælper",
                "Tænketanken Velfærdsforum, København K",
                (
                    "Databehandling og statistiske analyser i R til rapporter og notater",
                    "Udarbejdelse af figurer, præsentationer og korte nyhedsbreve",
                    "Litteratursøgning og research til projekter om beskæftigelse",
                ),
            ),
            Job(
                "09/2021 – 01/2024",
                "Telefoninterviewer (studiejob)",
                "Analyseinstituttet Norden ApS, København S",
                ("Telefoninterviews til spørgeskemaundersøgelser og registrering af svar",),
            ),
            Job(
                "08/2019 – 08/2021",
                "Tjener (deltid)",
                "Café Elmegade, København N",
                (),
            ),
        ),
        education=(
            Education(
                "2024–2026",
                "Cand.scient.pol., Københavns Universitet. Speciale: »Virksomhedspraktik som vej til "
                "job« (kvantitativ analyse af registerdata)",
            ),
            Education("2021–2024", "Bachelor i statskundskab (B.Sc.), Københavns Universitet"),
            Education("2023", "Udvekslingsophold, efterårssemester, Universiteit Leiden, Holland"),
            Education("2017–2020", "Studentereksamen (STX)"),
        ),
        courses=("Summer school i kvantitative metoder og R, 2022", "Kørekort B"),
        languages=("Dansk: modersmål", "Engelsk: flydende", "Fransk: grundlæggende"),
        it_skills=("R (tidyverse), SPSS, Stata (grundlæggende)", "Excel, Word og PowerPoint", "NVivo"),
        interests="Frivillig lektiehjælper for skolebørn, løb og politiske podcasts.",
    ),
    CV(
        id="housekeeping_en",
        name="Ana-Maria Florescu",
        lang="en",
        format="pdf",
        street="Amagerbrogade 140, 3. th.",
        postcode=2300,
        city="København S",
        phone="+45 18 36 27 59",
        email="anamaria.florescu@example.org",
        headline="Hotel housekeeper / cleaner",
        title_da="Rengøringsassistent i hotel (engelsk CV)",
        title_en="Hotel housekeeper and cleaner (English CV)",
        summary_da=(
            "Engelsk CV. Syv års erfaring med hotelrengøring i Rumænien og Danmark. Taler engelsk, "
            "går på Sprogcenter og er begynder i dansk."
        ),
        profile=(
            "I am a reliable and hard-working housekeeper with seven years of experience from hotels in "
            "Romania and Denmark. I work quickly and carefully, and I take pride in leaving every room "
            "clean and ready for the next guest. I am flexible about shifts and a good team player. I am "
            "learning Danish at language school and would like a permanent job in cleaning or "
            "housekeeping.",
        ),
        jobs=(
            Job(
                "05/2023 – 10/2026",
                "Room attendant",
                "Hotel Ørestad Gardens, Copenhagen S (through a cleaning agency)",
                (
                    "Cleaning 14–16 guest rooms per shift according to the hotel's standards",
                    "Changing bed linen, restocking minibars and reporting damage to the supervisor",
                    "Correct use and dosing of cleaning chemicals",
                ),
            ),
            Job(
                "03/2021 – 04/2023",
                "Office cleaner (part-time)",
                "Cleaning company, Copenhagen",
                (
                    "Evening cleaning of offices, meeting rooms and canteens",
                    "Floor care with a scrubber-dryer machine",
                ),
            ),
            Job(
                "06/2016 – 12/2020",
                "Housekeeping assistant",
                "Hotel Panorama, Brasov, Romania",
                ("Cleaning of rooms and public areas, laundry and ironing",),
            ),
        ),
        education=(
            Education("2024 – now", "Danish language education (Danskuddannelse 2), Sprogcenter, Copenhagen"),
            Education("2011–2015", "Upper secondary school with baccalaureate, Brasov, Romania"),
        ),
        courses=(
            "Cleaning techniques and hygiene (AMU course taught in English), 2023",
            "Working environment and safe use of chemicals, 2023",
            "First aid, 2024",
        ),
        languages=(
            "Romanian: native",
            "English: good",
            "Danish: beginner, attending language school (Sprogcenter)",
            "Italian: basic",
        ),
        it_skills=("Smartphone apps for shift planning and room status", "E-mail"),
        interests="Cooking and long walks on Amager Fælled.",
    ),
    CV(
        id="ledig_butik_hul",
        name="Jannie Holst Brøndum",
        lang="da",
        format="txt",
        street="Rødovrevej 311, 2. mf.",
        postcode=2610,
        city="Rødovre",
        phone="+45 11 58 40 26",
        email="jannie.brondum@example.com",
        headline="Butiksassistent",
        title_da="Tidligere butiksassistent, længere ledighed (kort CV)",
        title_en="Former shop assistant, long-term unemployed (short CV)",
        summary_da=(
            "Kort og sparsomt CV. Elleve års erfaring som butiksassistent, periode uden beskæftigelse "
            "2019–2024, virksomhedspraktik i 2025. Indeholder fødselsdato."
        ),
        extra_header=("Født: 14.03.1978",),
        profile=(
            "Jeg er mødestabil og vant til at have kontakt med kunder. Jeg har god ordenssans og er "
            "hjælpsom over for mine kolleger. Jeg vil gerne tilbage på arbejdsmarkedet, gerne i en butik "
            "eller på et lager, og gerne på deltid til at starte med.",
        ),
        jobs=(
            Job(
                "02/2025 – 05/2025",
                "Virksomhedspraktik",
                "Genbrugsbutik, Rødovre",
                ("Sortering og prissætning af varer og betjening af kunder",),
            ),
            Job("10/2019 – 12/2024", "Periode uden beskæftigelse", ""),
            Job(
                "2008 – 09/2019",
                "Butiksassistent",
                "KvikMarked, Rødovre",
                (
                    "Kasse, varepåfyldning og bestilling af varer",
                    "Varemodtagelse og datokontrol",
                    "Kasseopgørelse ved lukning",
                ),
            ),
            Job("1997 – 2008", "Ekspedient", "Tøjbutik, Valby", ()),
        ),
        education=(
            Education("1995–1997", "Butiksuddannelsen (salgsassistent)"),
            Education("1985–1995", "Folkeskole, 10. klasse"),
        ),
        courses=("Kørekort B",),
        languages=("Dansk", "Engelsk: lidt"),
    ),
    CV(
        id="paedagogmedhjaelper",
        name="Sofie Lauridsen Aagaard",
        lang="da",
        format="docx",
        street="Søborg Hovedgade 98, 1. tv.",
        postcode=2860,
        city="Søborg",
        phone="+45 12 67 19 83",
        email="sofie.aagaard@example.net",
        headline="Pædagogmedhjælper",
        title_da="Pædagogmedhjælper i børnehave og vuggestue",
        title_en="Pedagogical assistant in kindergarten and nursery",
        summary_da=(
            "Syv års erfaring som pædagogmedhjælper i vuggestue og børnehave: aktiviteter efter "
            "læreplanen, sprogstimulering, forældresamarbejde og udeliv."
        ),
        profile=(
            "Jeg har arbejdet som pædagogmedhjælper i vuggestue og børnehave i syv år. Jeg er glad, "
            "nærværende og tålmodig i mødet med børnene, og jeg er god til at skabe tryghed – også for "
            "de børn, der har brug for lidt ekstra.",
            "Jeg er samarbejdsvillig og tager gerne initiativ til nye aktiviteter. Forældre og kolleger "
            "siger, at jeg er rolig og til at stole på.",
        ),
        jobs=(
            Job(
                "08/2021 – 07/2026",
                "Pædagogmedhjælper",
                "Børnehuset Mosegården, Gladsaxe Kommune",
                (
                    "Planlægning og gennemførelse af aktiviteter efter den styrkede pædagogiske læreplan",
                    "Sprogstimulering i små grupper og dialogisk læsning",
                    "Dagligt forældresamarbejde ved aflevering og afhentning",
                    "Ansvar for turdage og udeliv i skoven",
                ),
            ),
            Job(
                "01/2019 – 07/2021",
                "Pædagogmedhjælper (vikar)",
                "Vuggestuen Solsikken, København NV",
                (
                    "Omsorg, bleskift, måltider og søvn for børn i alderen 0–3 år",
                    "Observationer og dokumentation af børnenes trivsel i Aula",
                ),
            ),
            Job(
                "2016 – 2018",
                "Trænerassistent (fritidsjob)",
                "Gymnastikforening, Gladsaxe",
                ("Hjalp med at træne børnehold i spring og leg",),
            ),
        ),
        education=(
            Education("2017–2019", "Hf-eksamen"),
            Education("2007–2017", "Folkeskolens afgangsprøve, Søborg"),
        ),
        courses=(
            "Pædagogisk arbejde med børns sprog, AMU, 2024",
            "Motorik og bevægelse i daginstitutioner, AMU, 2022",
            "Førstehjælp til børn, 2025",
            "Kørekort B",
        ),
        languages=("Dansk: modersmål", "Engelsk: godt"),
        it_skills=("Aula", "Word og Outlook", "Billeder og små videoer til dokumentation af aktiviteter"),
        interests="Gymnastik, syning og ture i naturen.",
    ),
    CV(
        id="toemrer",
        name="Rasmus Bjerregaard Hvid",
        lang="da",
        format="docx",
        street="Herlev Hovedgade 150, 2. th.",
        postcode=2730,
        city="Herlev",
        phone="+45 16 20 75 38",
        email="rasmus.b.hvid@example.org",
        headline="Tømrer – kørekort B og C",
        title_da="Tømrer med kørekort B og C",
        title_en="Carpenter with driving licence B and C",
        summary_da=(
            "Tømrersvend med 15 års erfaring fra nybyggeri, renovering og tag; læser tegninger, "
            "kører lastbil med materialer (kørekort C). Arbejdshistorik i tabel."
        ),
        profile=(
            "Jeg er uddannet tømrer med 15 års erfaring fra nybyggeri, renovering og tagarbejde. Jeg er "
            "selvstændig og ansvarsbevidst, og jeg kan både arbejde alene ude hos kunden og i et sjak på "
            "større byggepladser. Jeg er løsningsorienteret og vant til at læse tegninger og planlægge "
            "arbejdet, så materialer og folk er på plads. Jeg har kørekort B og C og kører gerne med "
            "materialer.",
        ),
        jobs=(
            Job(
                "04/2018 – 09/2026",
                "Tømrersvend",
                "Herlev Tømrer & Snedker ApS, Herlev",
                (
                    "Renovering af tage, vinduer og døre i parcelhuse og etageboliger",
                    "Opsætning af lette skillevægge, gipslofter og isolering",
                    "Montering af køkkener og trægulve",
                    "Kørsel med lastbil (kategori C) med materialer til byggepladserne",
                ),
            ),
            Job(
                "06/2011 – 03/2018",
                "Tømrer",
                "Nordvest Byg A/S, København NV",
                (
                    "Forskalling og montage af betonelementer på nybyggeri",
                    "Opstilling af systemstillads og arbejde efter byggepladsens sikkerhedsregler",
                    "Kvalitetssikring og dokumentation efter tjeklister",
                ),
            ),
        ),
        education=(
            Education("2007–2011", "Tømreruddannelsen (erhvervsuddannelse, svendebrev), København"),
            Education("1997–2007", "Folkeskolens afgangsprøve, Herlev"),
        ),
        courses=(
            "Kørekort B og C",
            "Grundlæggende kvalifikation for lastbilchauffører (kvalifikationsbevis), 2015",
            "Opstilling af systemstillads, AMU, 2013",
            "Anhugning og signalgivning ved kranarbejde, AMU, 2016",
            "Asbest – sikkerhed ved nedrivning og renovering, 2019",
            "Førstehjælp på byggepladsen, 2022",
        ),
        languages=("Dansk: modersmål", "Engelsk: middel"),
        it_skills=("Digitale tegninger på tablet", "Timeregistrering i app", "Mail"),
        interests="Motorcykler og håndbold.",
        table=True,
    ),
    CV(
        id="buschauffoer",
        name="Kemal Arslan Dahlberg",
        lang="da",
        format="pdf",
        street="Sydhavnsgade 12, 5. th.",
        postcode=2450,
        city="København SV",
        phone="+45 19 81 52 64",
        email="kemal.dahlberg@example.net",
        headline="Buschauffør – kørekort D",
        title_da="Buschauffør med kørekort D",
        title_en="Bus driver with category D licence",
        summary_da=(
            "Ti års erfaring som buschauffør i København (kørekort D, efteruddannelse), tidligere "
            "taxi og lager. Mødestabil, serviceminded og rolig under pres."
        ),
        profile=(
            "Jeg er buschauffør med ti års erfaring fra bybusser i København. Jeg er mødestabil og "
            "serviceminded, og jeg kan lide at hjælpe passagererne godt på vej. I myldretiden og ved "
            "omkørsler er jeg rolig under pres og kører sikkert og miljøvenligt. Jeg tager gerne skiftende "
            "vagter, weekender og aftener.",
        ),
        jobs=(
            Job(
                "03/2016 – 08/2026",
                "Buschauffør",
                "Hovedstadens Linjebusser A/S, København SV",
                (
                    "Kørsel på bybuslinjer i København og på Vestegnen efter køreplan",
                    "Vejledning af passagerer og hjælp til kørestolsbrugere og barnevogne",
                    "Daglig kontrol af bussen og rapportering af fejl og skader",
                    "Kørsel med elbusser og energirigtig kørsel",
                ),
            ),
            Job(
                "04/2012 – 02/2016",
                "Taxichauffør",
                "Taxiselskab, København",
                ("Kundeservice, betaling og kørsel i hele hovedstadsområdet",),
            ),
            Job(
                "09/2008 – 03/2012",
                "Lagermedarbejder",
                "Engrosgrossist, Glostrup",
                ("Pluk af ordrer og lastning af biler",),
            ),
        ),
        education=(
            Education("2015", "Buschauffør: kørekort D og grundlæggende kvalifikation, AMU"),
            Education("2006–2008", "Danskuddannelse 3, afsluttet med Prøve i Dansk 3"),
            Education("2000–2004", "Gymnasial uddannelse, Ankara, Tyrkiet"),
        ),
        courses=(
            "Kørekort B og D",
            "Periodisk efteruddannelse for buschauffører, 2020 og 2025",
            "Konflikthåndtering for chauffører, 2019",
            "Befordring af passagerer med handicap, 2018",
            "Førstehjælp, 2024",
        ),
        languages=("Tyrkisk: modersmål", "Dansk: flydende (Prøve i Dansk 3)", "Engelsk: godt"),
        it_skills=("Billetudstyr og kørecomputer i bussen", "App til vagtbytte", "Mail"),
    ),
    CV(
        id="butiksassistent",
        name="Freja Vinding Pallesen",
        lang="da",
        format="txt",
        street="Falkoner Allé 77, 3. tv.",
        postcode=2000,
        city="Frederiksberg",
        phone="+45 13 92 06 71",
        email="freja.pallesen@example.com",
        headline="Butiksassistent",
        title_da="Butiksassistent med erfaring fra tøj og dagligvarer",
        title_en="Shop assistant with fashion and grocery experience",
        summary_da=(
            "Ung butiksassistent med fem års deltidserfaring fra tøjbutik og supermarked: "
            "kundebetjening, kasse, vareeksponering. Studentereksamen (HHX)."
        ),
        profile=(
            "Jeg har fem års erfaring fra tøjbutik og supermarked ved siden af gymnasiet og efter. Jeg er "
            "udadvendt og serviceminded og kan godt lide at hjælpe kunderne med at finde det rigtige. Jeg "
            "er ansvarsbevidst og har haft ansvaret for at åbne og lukke butikken. Jeg er omstillingsparat "
            "og vil gerne have et fast job i detailhandlen, måske med en salgsuddannelse.",
        ),
        jobs=(
            Job(
                "09/2023 – 10/2026",
                "Butiksassistent (deltid)",
                "Modehuset Falkoner, Frederiksberg",
                (
                    "Kundebetjening, rådgivning og salg på butiksgulvet",
                    "Kasseekspedition og kasseopgørelse ved lukning",
                    "Vareopfyldning, vareeksponering og skiltning efter kampagner",
                    "Modtagelse og optælling af varer",
                ),
            ),
            Job(
                "06/2021 – 08/2023",
                "Kassemedarbejder",
                "Supermarked, Gammel Kongevej, Frederiksberg",
                ("Kasse, flaskeretur og rengøring af butikken", "Datokontrol af mejerivarer"),
            ),
        ),
        education=(
            Education("2020–2023", "Studentereksamen (HHX), Frederiksberg"),
            Education("2010–2020", "Folkeskolens afgangsprøve"),
        ),
        courses=("Salg og kundeservice (internt kursus), 2024", "Førstehjælp, 2022"),
        languages=("Dansk: modersmål", "Engelsk: godt", "Spansk: grundlæggende"),
        it_skills=("Kassesystemer", "Word og Excel", "Instagram til butikkens opslag"),
        interests="Mode, håndbold og fotografering.",
    ),
    CV(
        id="construction_en",
        name="Giedrius Petrauskas",
        lang="en",
        format="docx",
        street="Saltværksvej 30, st. tv.",
        postcode=2770,
        city="Kastrup",
        phone="+45 17 54 83 10",
        email="giedrius.petrauskas@example.com",
        headline="Construction worker / labourer",
        title_da="Byggearbejder/håndlanger (engelsk CV)",
        title_en="Construction worker and labourer (English CV)",
        summary_da=(
            "Engelsk CV. Byggearbejder fra Litauen med erfaring fra Litauen, Norge og Danmark: "
            "nedrivning, beton, stillads, minigraver. Dansk: begynder, går på Sprogcenter."
        ),
        profile=(
            "I am an experienced construction worker from Lithuania and have worked on building sites in "
            "Lithuania, Norway and Denmark since 2012. I am physically strong, safety-conscious and used "
            "to following instructions from foremen and craftsmen. I am independent and punctual, and I "
            "like to keep the site tidy. I speak basic Danish and attend the language centre in the "
            "evenings.",
        ),
        jobs=(
            Job(
                "04/2022 – 09/2026",
                "Construction helper",
                "Kastrup Entreprise ApS, Kastrup",
                (
                    "Demolition and removal of interior walls and floors in renovation projects",
                    "Concrete work: formwork, mixing and casting of foundations",
                    "Assisting bricklayers and carpenters, carrying materials and keeping the site clean",
                    "Operating a mini excavator and a plate compactor",
                ),
            ),
            Job(
                "03/2016 – 03/2022",
                "Construction worker",
                "Fjordbygg AS, Bergen, Norway",
                (
                    "Assembly of scaffolding and formwork on residential buildings",
                    "Groundwork, drainage pipes and paving",
                ),
            ),
            Job(
                "07/2012 – 02/2016",
                "Helper",
                "Family construction company, Kaunas, Lithuania",
                ("Renovation of flats: plastering, tiling and painting",),
            ),
        ),
        education=(
            Education("2009–2012", "Vocational school, concrete worker and bricklayer, Kaunas, Lithuania"),
            Education("2023 – now", "Danish language education (Danskuddannelse 2), Sprogcenter"),
        ),
        courses=(
            "Driving licence B and CE",
            "Scaffolding assembly certificate (Norway), 2017",
            "Health and safety on construction sites (AMU course in English), 2022",
            "Mini excavator course, 2019",
            "First aid, 2023",
        ),
        languages=(
            "Lithuanian: native",
            "Russian: good",
            "English: good",
            "Norwegian: basic",
            "Danish: beginner, attending language school (Sprogcenter)",
        ),
        it_skills=("Smartphone and time registration apps",),
        table=True,
    ),
    CV(
        id="ejendomsservice",
        name="Bo Engholm Tarp",
        lang="da",
        format="pdf",
        street="Lyngby Hovedgade 58, 2. th.",
        postcode=2800,
        city="Kgs. Lyngby",
        phone="+45 14 07 68 53",
        email="bo.tarp@example.org",
        headline="Ejendomsservicetekniker",
        title_da="Ejendomsservicetekniker med erfaring fra boligafdeling og skole",
        title_en="Property service technician (caretaker)",
        summary_da=(
            "Ejendomsservicetekniker med erfaring fra almen boligafdeling og skole: vedligehold, "
            "flyttesyn, grønne områder, beboerkontakt. Kørekort B/BE."
        ),
        profile=(
            "Jeg er ejendomsservicetekniker med erfaring fra både en almen boligafdeling og en skole. Jeg "
            "er praktisk anlagt og selvstændig, og jeg er god til at planlægge min dag. Jeg er vant til "
            "kontakt med beboerne og har en venlig og imødekommende facon, også når nogen er utilfredse. "
            "Jeg er fleksibel og deltager gerne i vagtordning.",
        ),
        jobs=(
            Job(
                "05/2019 – 06/2026",
                "Ejendomsservicetekniker",
                "Boligforeningen Mølleåparken, Kgs. Lyngby",
                (
                    "Drift og vedligehold af 420 lejemål, bl.a. mindre reparationer af VVS, låse og døre",
                    "Flyttesyn, istandsættelse af lejligheder og bestilling af håndværkere",
                    "Pleje af grønne områder, snerydning og saltning med redskabsbærer",
                    "Beboerkontakt og registrering af opgaver i driftssystemet",
                ),
            ),
            Job(
                "08/2012 – 04/2019",
                "Pedel",
                "Privatskole, Gentofte",
                (
                    "Vedligeholdelse af bygninger, lokaler og legeplads",
                    "Opstilling til arrangementer og affaldshåndtering",
                ),
            ),
            Job(
                "2004 – 07/2012",
                "VVS-hjælper",
                "VVS-firma, Lyngby",
                ("Hjælp ved installation af badeværelser og fejlfinding på varmeanlæg",),
            ),
        ),
        education=(
            Education("2016–2018", "Ejendomsservicetekniker (erhvervsuddannelse som voksenlærling)"),
            Education("2002–2003", "Grundforløb, Bygge og anlæg"),
            Education("1992–2002", "Folkeskolens afgangsprøve, Lyngby"),
        ),
        courses=(
            "Kørekort B og BE (trailer)",
            "Legepladsinspektør – certificering, 2021",
            "Redskabsbærer og traktor, AMU, 2019",
            "Motorsav – grundlæggende, AMU, 2020",
            "Førstehjælp, 2024",
        ),
        languages=("Dansk: modersmål", "Engelsk: middel"),
        it_skills=("Driftssystem på tablet", "Outlook og Word"),
        interests="Haven, fiskeri og mit gamle folkevognsrugbrød.",
    ),
)


# --------------------------------------------------------------------------- shared helpers


def _address_line(cv: CV) -> str:
    return f"{cv.street}, {cv.postcode} {cv.city}"


def _job_heading(job: Job) -> str:
    return f"{job.title}, {job.employer}" if job.employer else job.title


# --------------------------------------------------------------------------- TXT


def render_txt(cv: CV) -> str:
    """Plain UTF-8 text CV, the way people type one in a simple editor."""
    h = HEADINGS[cv.lang]
    lines: list[str] = [cv.name.upper(), cv.headline, ""]
    lines.append(f"{h['address']}: {_address_line(cv)}")
    lines.append(f"{h['phone']}: {cv.phone}")
    lines.append(f"{h['email']}: {cv.email}")
    lines.extend(cv.extra_header)

    def section(title: str) -> None:
        lines.extend(["", title.upper(), "-" * len(title)])

    section(h["profile"])
    for i, para in enumerate(cv.profile):
        if i:
            lines.append("")
        lines.append(para)
    if cv.skills:
        section(h["skills"])
        lines.extend(f"- {s}" for s in cv.skills)
    section(h["jobs"])
    for i, job in enumerate(cv.jobs):
        if i:
            lines.append("")
        lines.append(f"{job.period:<20}{_job_heading(job)}")
        lines.extend(f"{'':<20}- {b}" for b in job.bullets)
    section(h["education"])
    lines.extend(f"{e.period:<20}{e.text}" for e in cv.education)
    for key, items in (("courses", cv.courses), ("languages", cv.languages), ("it", cv.it_skills)):
        if items:
            section(h[key])
            lines.extend(f"- {item}" for item in items)
    if cv.interests:
        section(h["interests"])
        lines.append(cv.interests)
    if cv.references:
        section(h["references"])
        lines.append(cv.references)
    return "\n".join(lines) + "\n"


def write_txt(cv: CV, path: Path) -> None:
    path.write_bytes(render_txt(cv).encode("utf-8"))


# --------------------------------------------------------------------------- PDF


def write_pdf(cv: CV, path: Path) -> None:
    """PDF with reportlab's built-in Helvetica.

    The standard fonts use WinAnsi encoding, which covers æ, ø, å and the en
    dash, so no TTF file is needed. The bullet character (•) is avoided: pypdf
    extracts it as a control character, so bullets are drawn as en dashes.
    ``invariant=1`` fixes the creation date and document id (determinism).
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

    h = HEADINGS[cv.lang]
    base = ParagraphStyle("base", fontName="Helvetica", fontSize=10, leading=13.5)
    name_style = ParagraphStyle("name", parent=base, fontName="Helvetica-Bold", fontSize=20, leading=24)
    headline_style = ParagraphStyle(
        "headline", parent=base, fontSize=12, leading=16, textColor=colors.HexColor("#35516e")
    )
    contact_style = ParagraphStyle("contact", parent=base, fontSize=9.5, leading=12.5)
    heading_style = ParagraphStyle(
        "heading",
        parent=base,
        fontName="Helvetica-Bold",
        fontSize=12,
        leading=15,
        spaceBefore=9,
        spaceAfter=3,
        textColor=colors.HexColor("#35516e"),
    )
    body = ParagraphStyle("body", parent=base, spaceAfter=4)
    job_style = ParagraphStyle("job", parent=base, spaceBefore=4, spaceAfter=1)
    bullet_style = ParagraphStyle("bullet", parent=base, leftIndent=12 * mm, bulletIndent=7 * mm)
    line_style = ParagraphStyle("line", parent=base, leftIndent=28 * mm, firstLineIndent=-28 * mm)

    def para(text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(escape(text), style)

    def bullet(text: str) -> Paragraph:
        return Paragraph(escape(text), bullet_style, bulletText="–")

    story: list = [para(cv.name, name_style), para(cv.headline, headline_style), Spacer(1, 2 * mm)]
    # non-breaking spaces keep "Telefon: +45 .." and "E-mail: .." on one line each
    contact = [f"{h['phone']}: {cv.phone}", f"{h['email']}: {cv.email}", *cv.extra_header]
    contact_markup = "&nbsp;&nbsp;|&nbsp; ".join(
        [escape(_address_line(cv)), *(escape(item).replace(" ", "&nbsp;") for item in contact)]
    )
    story.append(Paragraph(contact_markup, contact_style))

    story.append(para(h["profile"], heading_style))
    story.extend(para(p, body) for p in cv.profile)
    if cv.skills:
        story.append(para(h["skills"], heading_style))
        story.extend(bullet(s) for s in cv.skills)

    story.append(para(h["jobs"], heading_style))
    for job in cv.jobs:
        head = Paragraph(
            f"<b>{escape(job.period)}</b>&nbsp;&nbsp;&nbsp;{escape(_job_heading(job))}", job_style
        )
        story.append(KeepTogether([head, *(bullet(b) for b in job.bullets)]))

    story.append(para(h["education"], heading_style))
    story.extend(
        Paragraph(f"<b>{escape(e.period)}</b>&nbsp;&nbsp;&nbsp;{escape(e.text)}", line_style)
        for e in cv.education
    )
    for key, items in (("courses", cv.courses), ("languages", cv.languages), ("it", cv.it_skills)):
        if items:
            story.append(para(h[key], heading_style))
            story.extend(bullet(item) for item in items)
    if cv.interests:
        story.append(para(h["interests"], heading_style))
        story.append(para(cv.interests, body))
    if cv.references:
        story.append(para(h["references"], heading_style))
        story.append(para(cv.references, body))

    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{h['cv']} – {cv.name}",
        author=cv.name,
        subject="Fiktivt demo-CV (jobmatch)",
        creator="jobmatch scripts/make_personas.py",
        invariant=1,
    )
    doc.build(story)


# --------------------------------------------------------------------------- DOCX


def _docx_bytes(cv: CV) -> bytes:
    from docx import Document
    from docx.shared import Pt

    h = HEADINGS[cv.lang]
    doc = Document()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(11)

    doc.add_paragraph(cv.name, style="Title")
    doc.add_paragraph(cv.headline, style="Subtitle")
    contact = doc.add_paragraph()
    lines = [_address_line(cv), f"{h['phone']}: {cv.phone}", f"{h['email']}: {cv.email}", *cv.extra_header]
    for i, line in enumerate(lines):
        run = contact.add_run(line)
        if i < len(lines) - 1:
            run.add_break()

    doc.add_heading(h["profile"], level=1)
    for p in cv.profile:
        doc.add_paragraph(p)
    if cv.skills:
        doc.add_heading(h["skills"], level=1)
        for s in cv.skills:
            doc.add_paragraph(s, style="List Bullet")

    doc.add_heading(h["jobs"], level=1)
    if cv.table:
        table = doc.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        hdr = table.rows[0].cells
        hdr[0].paragraphs[0].add_run(h["period"]).bold = True
        hdr[1].paragraphs[0].add_run(h["position"]).bold = True
        for job in cv.jobs:
            cells = table.add_row().cells
            cells[0].text = job.period
            cells[1].paragraphs[0].add_run(_job_heading(job)).bold = True
            for b in job.bullets:
                cells[1].add_paragraph(b, style="List Bullet")
    else:
        for job in cv.jobs:
            p = doc.add_paragraph()
            p.add_run(job.period + "\t").bold = True
            p.add_run(_job_heading(job)).bold = True
            for b in job.bullets:
                doc.add_paragraph(b, style="List Bullet")

    doc.add_heading(h["education"], level=1)
    if cv.table:
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for e in cv.education:
            cells = table.add_row().cells
            cells[0].text = e.period
            cells[1].text = e.text
    else:
        for e in cv.education:
            p = doc.add_paragraph()
            p.add_run(e.period + "\t").bold = True
            p.add_run(e.text)

    for key, items in (("courses", cv.courses), ("languages", cv.languages), ("it", cv.it_skills)):
        if items:
            doc.add_heading(h[key], level=1)
            for item in items:
                doc.add_paragraph(item, style="List Bullet")
    if cv.interests:
        doc.add_heading(h["interests"], level=1)
        doc.add_paragraph(cv.interests)
    if cv.references:
        doc.add_heading(h["references"], level=1)
        doc.add_paragraph(cv.references)

    props = doc.core_properties
    props.title = f"{h['cv']} – {cv.name}"
    props.author = cv.name
    props.last_modified_by = cv.name
    props.subject = "Fiktivt demo-CV (jobmatch)"
    props.comments = "Invented person; generated by scripts/make_personas.py"
    props.created = FIXED_DATETIME
    props.modified = FIXED_DATETIME
    props.revision = 1

    buffer = io.BytesIO()
    doc.save(buffer)
    return _normalise_zip(buffer.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip archive with fixed entry timestamps and attributes.

    python-docx stamps every entry with the current time; copying the entries
    (same order, same content) with a fixed date makes the file reproducible.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            fixed.create_system = 3
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_docx(cv: CV, path: Path) -> None:
    path.write_bytes(_docx_bytes(cv))


# --------------------------------------------------------------------------- main

WRITERS = {"pdf": write_pdf, "docx": write_docx, "txt": write_txt}


def _check_personas(personas: tuple[CV, ...]) -> None:
    """Fail loudly on mistakes in the data above rather than ship a broken index."""
    ids = [cv.id for cv in personas]
    if len(ids) != len(set(ids)):
        raise ValueError(f"Duplicate persona ids: {sorted(i for i in ids if ids.count(i) > 1)}")
    for cv in personas:
        if cv.format not in WRITERS:
            raise ValueError(f"{cv.id}: unknown format {cv.format!r}")
        if cv.lang not in HEADINGS:
            raise ValueError(f"{cv.id}: unknown language {cv.lang!r}")
        if not 1000 <= cv.postcode <= 9999:
            raise ValueError(f"{cv.id}: postcode {cv.postcode} is not a Danish 4-digit postcode")


def main(out_dir: Path | str | None = None) -> list[Path]:
    """Write every persona file and ``personas.json`` to *out_dir*; return the paths written."""
    _check_personas(PERSONAS)
    target = Path(out_dir) if out_dir is not None else DEFAULT_OUT_DIR
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for cv in PERSONAS:
        path = target / cv.filename
        WRITERS[cv.format](cv, path)
        written.append(path)
    index = target / INDEX_NAME
    text = json.dumps([cv.index_entry() for cv in PERSONAS], ensure_ascii=False, indent=2) + "\n"
    index.write_bytes(text.encode("utf-8"))
    written.append(index)
    return written


def _cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT_DIR, help="output folder (default: %(default)s)")
    args = parser.parse_args(argv)
    paths = main(args.out)
    for path in paths:
        print(path)
    print(f"{len(paths) - 1} personas written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(_cli())
