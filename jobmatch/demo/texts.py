"""Text of the demo world: invented names, job-posting descriptions and CVs.

Texts are written from templates over the taxonomy's labels and synonyms, so
that competences appear the way people write them — in sentences, bullets and
inflected forms — rather than as keyword lists. All people, addresses, phone
numbers and employers are invented (e-mail addresses use example.dk).
"""

from __future__ import annotations

import random

import numpy as np

# -- invented people ---------------------------------------------------------

FIRST_NAMES = {
    ("female", "danish"): ["Mette", "Anne", "Louise", "Camilla", "Maria", "Sofie", "Julie", "Ida", "Emma",
                           "Hanne", "Susanne", "Lene", "Pia", "Tina", "Kirsten", "Signe", "Maja", "Line"],
    ("male", "danish"): ["Jens", "Peter", "Lars", "Søren", "Michael", "Henrik", "Thomas", "Martin", "Rasmus",
                         "Mads", "Anders", "Jesper", "Kasper", "Mikkel", "Niels", "Frederik", "Jonas", "Bo"],
    ("female", "western"): ["Anna", "Katarzyna", "Agnieszka", "Laura", "Elena", "Sarah", "Ingrid", "Johanna",
                            "Chiara", "Ioana", "Olena", "Greta"],
    ("male", "western"): ["Tomasz", "Piotr", "Marco", "David", "Lukas", "Andrei", "Mihai", "Jakub", "Paul",
                          "Matteo", "Oleksandr", "Erik"],
    ("female", "non_western"): ["Fatima", "Aisha", "Amina", "Leila", "Hodan", "Zainab", "Sara", "Mariam",
                                "Noor", "Yasmin", "Hawa", "Samira"],
    ("male", "non_western"): ["Mohammed", "Ahmed", "Ali", "Omar", "Hassan", "Yusuf", "Abdi", "Karim",
                              "Mustafa", "Ibrahim", "Tariq", "Bilal"],
}
LAST_NAMES = {
    "danish": ["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
               "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Møller"],
    "western": ["Kowalski", "Nowak", "Rossi", "Schmidt", "Popescu", "Müller", "García", "Kazlauskas",
                "Wiśniewski", "Bianchi", "Kovalenko", "Lindqvist"],
    "non_western": ["Hussein", "Ali", "Mohamed", "Yilmaz", "Khan", "Ahmadi", "Abdullahi", "Farah", "Haddad",
                    "Öztürk", "Rahimi", "Osman"],
}
STREETS = ["Bakkevej", "Søndergade", "Lindealle", "Østergade", "Skovvej", "Parkvej", "Kirkevej", "Vestergade",
           "Rosenvænget", "Engvej", "Birkevej", "Møllevej", "Strandvej", "Ahornvej", "Bøgeallé", "Nørregade",
           "Egevej", "Tranevej", "Kastanievej", "Hybenvej"]


def person_name(rng: np.random.Generator, gender: str, origin: str) -> str:
    g = gender if gender in ("female", "male") else ("female" if rng.random() < 0.5 else "male")
    first = rng.choice(FIRST_NAMES[(g, origin)])
    last = rng.choice(LAST_NAMES[origin])
    return f"{first} {last}"


# -- invented employers --------------------------------------------------------

EMPLOYER_PREFIX = ["Nord", "Syd", "Øst", "Vest", "Kyst", "Skov", "Bakke", "Fjord", "Lys", "Grøn", "Blå",
                   "Solsikke", "Havne", "Lunde", "Birke", "Ege", "Mølle", "Kilde", "Strand", "Engs", "Rosen",
                   "Falke", "Trane", "Hjorte", "Svane", "Lærke", "Bølge", "Stjerne", "Tårn", "Sø"]
EMPLOYER_SUFFIX = {
    "health_care": ["Plejecenter", "Hjemmepleje ApS", "Tandklinik", "Sundhedshus", "Privathospital A/S",
                    "Rehabiliteringscenter", "Lægehus", "Fysioterapi"],
    "pedagogy_education": ["Børnehus", "Vuggestue", "Skole", "Privatskole", "Sprogskole", "Børnehave",
                           "Efterskole", "Uddannelsescenter"],
    "social_work": ["Bosted", "Botilbud", "Socialcenter", "Ungehus", "Støttecenter", "Familiehus"],
    "cleaning_property": ["Rengøring ApS", "Facility Service A/S", "Ejendomsservice", "Vinduespolering",
                          "Servicepartner ApS", "Boligforening"],
    "hospitality": ["Bistro", "Hotel", "Café", "Kantine ApS", "Restaurant", "Bageri", "Catering A/S",
                    "Kro", "Smørrebrød"],
    "retail_sales": ["Marked", "Supermarked", "Boligudstyr A/S", "Tøj ApS", "Byggemarked", "Apotek",
                     "Elektronik A/S", "Købmand"],
    "construction": ["Byg A/S", "Entreprise ApS", "Tømrerfirma", "Murerfirma", "El-service ApS", "VVS A/S",
                     "Malerfirma", "Anlæg A/S"],
    "transport_logistics": ["Logistik A/S", "Transport ApS", "Lager A/S", "Fragt", "Distribution A/S",
                            "Kurér ApS", "Spedition A/S", "Busser A/S"],
    "industry_production": ["Industri A/S", "Produktion ApS", "Metal A/S", "Plast A/S", "Fødevarer A/S",
                            "Maskinfabrik", "Emballage A/S", "Pharma ApS"],
    "agriculture_green": ["Gartneri", "Planteskole", "Anlægsgartner ApS", "Landbrug I/S", "Golfklub",
                          "Naturpleje ApS"],
    "engineering_energy": ["Energi A/S", "Rådgivende Ingeniører", "Teknik ApS", "Vind A/S", "Forsyning A/S",
                           "Køleteknik ApS"],
    "security_emergency": ["Sikring A/S", "Vagtservice ApS", "Security A/S", "Beredskab", "Ambulance ApS"],
    "it_telecom": ["IT ApS", "Data A/S", "Software A/S", "Digital ApS", "Tech A/S", "Cloud ApS",
                   "Netværk A/S"],
    "office_finance": ["Revision A/S", "Regnskab ApS", "Finans A/S", "Forsikring A/S", "Administration ApS",
                       "Bank A/S", "Advokater"],
    "management": ["Gruppen A/S", "Holding A/S", "Partners ApS", "Koncernservice A/S"],
    "academic_public": ["Analyse ApS", "Rådgivning A/S", "Forvaltning", "Institut", "Sekretariat",
                        "Forsknings-center"],
    "culture_media": ["Kommunikation ApS", "Medier A/S", "Design ApS", "Museum", "Forlag", "Events ApS"],
}


def employer_name(rng: random.Random, industry: str, town: str) -> str:
    suffixes = EMPLOYER_SUFFIX.get(industry, ["A/S", "ApS"])
    style = rng.random()
    prefix = rng.choice(EMPLOYER_PREFIX)
    suffix = rng.choice(suffixes)
    if style < 0.4:
        return f"{prefix}{suffix.lower()}" if " " not in suffix and suffix[0].isupper() and len(suffix) > 4 else f"{prefix} {suffix}"
    if style < 0.75:
        return f"{prefix} {suffix}"
    return f"{suffix.split()[0]} {town}" if len(suffix.split()) == 1 else f"{town} {suffix}"


# -- competence phrases ----------------------------------------------------------

_ADJ_ENDINGS = ("ig", "sk", "bar", "som", "stabil", "villig", "minded", "mindet", "ret", "ent", "ant",
                "ende", "lig", "bevidst", "parat", "fuld", "rig", "ærlig", "loyal", "positiv", "fleksibel",
                "robust", "rolig", "energisk", "grundig", "venlig", "kreativ", "modig")
_LICENCE_PREFIXES = ("sk_koerekort", "sk_truck", "sk_kran", "sk_teleskop", "sk_lift", "sk_svejse",
                     "sk_el_autorisation", "sk_vvs_autorisation", "sk_hygiejnebevis", "sk_foerstehjaelp",
                     "sk_vagtcertifikat", "sk_stillads", "sk_asbest", "sk_adr", "sk_chauffoer",
                     "sk_hjertestarter", "sk_arbejdsmiljoeuddannelse")


def is_adjective(label: str) -> bool:
    words = label.split()
    return len(words) == 1 and label.lower().endswith(_ADJ_ENDINGS)


def is_credential(competence_id: str) -> bool:
    """Licences and certificates: things a person *has* rather than *does*."""
    return competence_id.startswith(_LICENCE_PREFIXES) or "certifikat" in competence_id or "bevis" in competence_id


class Phrases:
    """Surface forms of competences, chosen at random but reproducibly."""

    def __init__(self, competences, rng: np.random.Generator):
        # text choices use Python's generator (seeded from numpy's): much faster for single draws
        self.rng = random.Random(int(rng.integers(2**32)))
        self.info: dict[str, dict] = {}
        for row in competences.itertuples(index=False):
            syn_da = [s for s in str(row.synonyms_da).split("|") if s.strip()]
            syn_en = [s for s in str(row.synonyms_en).split("|") if s.strip()]
            self.info[row.competence_id] = {
                "da": row.label_da, "en": row.label_en, "syn_da": syn_da, "syn_en": syn_en,
                "kind": row.kind, "group": row.group,
            }

    def form(self, cid: str, lang: str, synonym_p: float = 0.35) -> str:
        item = self.info[cid]
        syn = item[f"syn_{lang}"]
        # short noun-like synonyms read naturally in sentences; verb phrases stay in bullets
        if syn and self.rng.random() < synonym_p:
            return self.rng.choice(syn)
        return item[lang]

    def kind(self, cid: str) -> str:
        return self.info[cid]["kind"]

    def group(self, cid: str) -> str:
        return self.info[cid]["group"]


def _join(items: list[str], lang: str) -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    conj = " og " if lang == "da" else " and "
    return ", ".join(items[:-1]) + conj + items[-1]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


# -- postings ---------------------------------------------------------------------

_INTROS_DA = [
    "Vi er en arbejdsplads i udvikling med et godt arbejdsmiljø og søde kolleger.",
    "Hos os bliver du del af et fagligt stærkt team, hvor vi hjælper hinanden.",
    "Vi har travlt og søger derfor en ny kollega, der vil være med fra start.",
    "Vi er en mellemstor virksomhed med korte beslutningsveje og plads til initiativ.",
    "Du bliver en del af en uformel arbejdsplads, hvor der er højt til loftet.",
]
_INTROS_EN = [
    "We are a growing workplace with a good working environment and friendly colleagues.",
    "You will join a strong team where we help each other.",
    "We are busy and are looking for a new colleague to join us.",
]
_OFFER_DA = ["løn efter gældende overenskomst", "pension og sundhedsordning", "grundig introduktion",
             "mulighed for efteruddannelse", "frokostordning", "faste arbejdstider", "gode kolleger"]
_OFFER_EN = ["salary according to the collective agreement", "pension scheme", "a thorough introduction",
             "opportunities for further training", "a good team"]


def requirement_line(ph: Phrases, cid: str, lang: str) -> str:
    form = ph.form(cid, lang)
    group = ph.group(cid)
    if lang == "da":
        if ph.kind(cid) == "personal":
            if is_adjective(ph.info[cid]["da"]):
                return f"er {ph.info[cid]['da'].lower()}"
            return form
        if is_credential(cid):
            return f"har {form}"
        if group.startswith("K"):
            return ph.rng.choice([f"har kendskab til {form}", f"har viden om {form}"])
        if group == "L1":
            return f"taler og skriver {form}"
        return ph.rng.choice([f"har erfaring med {form}", f"kan varetage {form}", f"{form}"])
    if ph.kind(cid) == "personal":
        return f"are {ph.info[cid]['en'].lower()}" if is_adjective(ph.info[cid]["da"]) else form
    if is_credential(cid):
        return f"hold {form}"
    if group.startswith("K"):
        return f"have knowledge of {form}"
    return f"have experience with {form}"


def posting_description(ph: Phrases, *, lang: str, employer: str, title: str, town: str,
                        tasks: list[str], required: list[str], personal: list[str], optional: list[str],
                        education: str | None, weekly_hours: int, deadline: str) -> str:
    rng = ph.rng
    if lang == "da":
        lines = [f"{employer} søger {title.lower()} til vores afdeling i {town}.", "",
                 rng.choice(_INTROS_DA), "", "Dine opgaver bliver blandt andet:"]
        lines += [f"- {_cap(ph.form(c, 'da'))}" for c in tasks]
        lines += ["", "Vi forventer, at du:"]
        lines += [f"- {requirement_line(ph, c, 'da')}" for c in required + personal]
        if optional:
            lines += ["", f"Det er en fordel, hvis du har kendskab til {_join([ph.form(c, 'da') for c in optional], 'da')}."]
        if education:
            lines += [f"Du har en relevant uddannelse ({education})."]
        lines += ["", f"Vi tilbyder {_join(rng.sample(_OFFER_DA, 3), 'da')}.",
                  f"Stillingen er på {weekly_hours} timer om ugen.", f"Ansøgningsfrist: {deadline}."]
    else:
        lines = [f"{employer} is looking for a {title.lower()} for our team in {town}.", "",
                 rng.choice(_INTROS_EN), "", "Your tasks include:"]
        lines += [f"- {_cap(ph.form(c, 'en'))}" for c in tasks]
        lines += ["", "We expect that you:"]
        lines += [f"- {requirement_line(ph, c, 'en')}" for c in required + personal]
        if optional:
            lines += ["", f"It is an advantage if you know {_join([ph.form(c, 'en') for c in optional], 'en')}."]
        if education:
            lines += [f"You have a relevant education ({education})."]
        lines += ["", f"We offer {_join(rng.sample(_OFFER_EN, 3), 'en')}.",
                  f"The position is {weekly_hours} hours per week.", f"Application deadline: {deadline}."]
    return "\n".join(lines)


# -- CVs ----------------------------------------------------------------------------

LANGUAGE_LEVELS_DA = ["modersmål", "flydende", "godt", "middel", "begynder"]
LANGUAGE_LEVELS_EN = ["native", "fluent", "good", "intermediate", "beginner"]


def education_text(level: str, occupation_title: str, industry_label: str, lang: str) -> str:
    if lang == "da":
        return {
            "grundskole": "Folkeskolens afgangsprøve (9. klasse)",
            "gymnasial": "Studentereksamen (STX)",
            "eud": f"Erhvervsuddannelse som {occupation_title.lower()}",
            "kvu": f"Erhvervsakademiuddannelse inden for {industry_label.lower()}",
            "mvu": f"Professionsbachelor ({occupation_title.lower()})",
            "lvu": f"Kandidatuddannelse (cand.) inden for {industry_label.lower()}",
            "phd": f"Ph.d. inden for {industry_label.lower()}",
        }[level]
    return {
        "grundskole": "Lower secondary school leaving exam",
        "gymnasial": "Upper secondary school (STX)",
        "eud": f"Vocational education as {occupation_title.lower()}",
        "kvu": f"Academy profession degree in {industry_label.lower()}",
        "mvu": f"Professional bachelor ({occupation_title.lower()})",
        "lvu": f"Master's degree in {industry_label.lower()}",
        "phd": f"PhD in {industry_label.lower()}",
    }[level]


def _month(year_month: tuple[int, int]) -> str:
    return f"{year_month[1]:02d}/{year_month[0]}"


def cv_text(ph: Phrases, *, lang: str, name: str, address: str, phone: str, email: str, birth: str | None,
            personal: list[str], jobs: list[dict], education: list[tuple[int, int, str]],
            credentials: list[str], licences: list[str], languages: list[tuple[str, int]], it: list[str],
            long_form: bool) -> str:
    """A CV with header, profile, work history (dates + bullets), education, courses, languages.

    ``jobs`` items: {"title", "employer", "town", "start": (y, m), "end": (y, m) | None, "skills": [cid]}.
    """
    rng = ph.rng
    da = lang == "da"
    out: list[str] = [("CURRICULUM VITAE" if rng.random() < 0.5 else name), ""]
    out.append(f"{'Navn' if da else 'Name'}: {name}")
    out.append(f"{'Adresse' if da else 'Address'}: {address}")
    out.append(f"{'Telefon' if da else 'Phone'}: {phone}")
    out.append(f"E-mail: {email}")
    if birth:
        out.append(f"{'Fødselsdato' if da else 'Date of birth'}: {birth}")
    out.append("")
    if personal:
        adjectives = [ph.info[c][lang].lower() for c in personal if is_adjective(ph.info[c]["da"])]
        others = [ph.form(c, lang) for c in personal if not is_adjective(ph.info[c]["da"])]
        title = jobs[0]["title"].lower() if jobs else ("medarbejder" if da else "employee")
        out.append("Om mig" if da else "Profile")
        if da:
            if adjectives:
                out.append(f"Jeg er en {_join(adjectives[:2], 'da')} {title}."
                           + (f" Mine kolleger beskriver mig som {_join(adjectives[2:], 'da')}." if len(adjectives) > 2 else ""))
            else:
                out.append(f"Jeg har arbejdet som {title} og trives med at have travlt.")
        else:
            article = "an" if (adjectives[0] if adjectives else title)[:1] in "aeiou" else "a"
            if adjectives:
                out.append(f"I am {article} {_join(adjectives[:2], 'en')} {title}."
                           + (f" My colleagues describe me as {_join(adjectives[2:], 'en')}." if len(adjectives) > 2 else ""))
            else:
                out.append(f"I have worked as {article} {title} and like to be busy.")
        if others:
            out += ["", "Personlige kompetencer" if da else "Personal skills"]
            out += [f"- {_cap(o)}" for o in others]
        out.append("")
    out.append("Erhvervserfaring" if da else "Work experience")
    for job in jobs:
        end = _month(job["end"]) if job["end"] else ("nu" if da else "present")
        out.append(f"{_month(job['start'])} – {end}  {job['title']}, {job['employer']}, {job['town']}")
        skills = job["skills"]
        if long_form or len(skills) <= 3:
            out += [f"- {_cap(ph.form(c, lang))}" for c in skills]
        else:
            head = _join([ph.form(c, lang) for c in skills], lang)
            out.append(("Arbejdsopgaver: " if da else "Tasks: ") + head + ".")
    out.append("")
    out.append("Uddannelse" if da else "Education")
    for start, end, text in education:
        out.append(f"{start}–{end}  {text}")
    if credentials:
        out += ["", "Kurser og certifikater" if da else "Courses and certificates"]
        out += [f"- {_cap(ph.form(c, lang, synonym_p=0.2))}" for c in credentials]
    if licences:
        out += ["", ("Kørekort: " if da else "Driving licence: ") + ", ".join(licences)]
    if languages:
        out += ["", "Sprog" if da else "Languages"]
        levels = LANGUAGE_LEVELS_DA if da else LANGUAGE_LEVELS_EN
        for cid, level in languages:
            out.append(f"{_cap(ph.info[cid][lang])}: {levels[level]}")
    if it:
        out += ["", "IT-kompetencer" if da else "IT skills", _join([ph.form(c, lang) for c in it], lang)]
    return "\n".join(out) + "\n"
