"""Tests for jobmatch.pii: personal data goes, competence text stays, offsets hold.

All people, addresses and numbers below are invented.
"""

from __future__ import annotations

import re

import pytest

from jobmatch.pii import CATEGORIES, LABELS, MASK_CHAR, SPECIAL_CATEGORIES, RedactionResult, looks_like_name, redact

CV_DA = """Curriculum Vitae
Mette Kirstine Abildgaard
Lagermedarbejder og truckfører

Adresse: Kastanievej 14, 2. th., 2400 København NV
Telefon: 22 33 44 55
Mobil: +45 61 72 83 94
E-mail: mette.abildgaard@example.dk
CPR-nr.: 120385-1234
Født: 12. marts 1985
Køn: Kvinde
Civilstand: Gift, 2 børn
Nationalitet: Polsk
Foto: vedhæftet
LinkedIn: https://www.linkedin.com/in/mette-abildgaard-42

Om mig
Jeg er 41 år og har arbejdet på lager i 15 år. Mette er kendt for at være stabil og grundig.
Abildgaards kolleger kalder hende rolig under pres.
Jeg er medlem af 3F og har været tillidsrepræsentant for 3F på lageret i fire år.
Jeg har type 1-diabetes, som er velreguleret, og var sygemeldt med stress i 2021.
Jeg går i kirke om søndagen.
Politisk er jeg medlem af Venstre.
Født og opvokset i Aalborg.

Erhvervserfaring
2015–2024 Lagermedarbejder, Nordlys Logistik A/S, Hvidovre
• Truckkørsel og plukning med håndscanner
• Kirkegårdsgartner i sommerferien 2014 ved Assistens Kirkegård
• Arbejde med borgere med demens og diabetes i hjemmeplejen (vikariat)
• Ansvarlig for sundhed og sikkerhed som arbejdsmiljørepræsentant
• Ansat efter overenskomst med 3F

Kompetencer
• Truckcertifikat B, kørekort B
• Erfaring med børn med ADHD fra SFO
• Stresshåndtering og konflikthåndtering
• Kan arbejde under stress og i højt tempo
• Fleksjob: 25 timer om ugen
"""

CV_DA_PLANTED = {
    "name": ["Mette Kirstine Abildgaard", "Mette er kendt", "Abildgaards kolleger"],
    "address": ["Kastanievej 14, 2. th."],
    "phone": ["22 33 44 55", "+45 61 72 83 94"],
    "email": ["mette.abildgaard@example.dk"],
    "cpr": ["120385-1234"],
    "birth_date": ["12. marts 1985", "Jeg er 41 år"],
    "gender": ["Kvinde"],
    "family": ["Gift, 2 børn"],
    "origin": ["Polsk", "Aalborg"],
    "photo": ["vedhæftet"],
    "url": ["linkedin.com/in/mette-abildgaard-42"],
    "union": ["medlem af 3F", "tillidsrepræsentant for 3F på"],
    "health": ["type 1-diabetes", "sygemeldt med stress"],
    "religion": ["går i kirke"],
    "political": ["Venstre"],
}

CV_DA_COMPETENCES = [
    "Lagermedarbejder og truckfører",
    "2015–2024 Lagermedarbejder, Nordlys Logistik A/S, Hvidovre",
    "• Truckkørsel og plukning med håndscanner",
    "• Kirkegårdsgartner i sommerferien 2014 ved Assistens Kirkegård",
    "• Arbejde med borgere med demens og diabetes i hjemmeplejen (vikariat)",
    "• Ansvarlig for sundhed og sikkerhed som arbejdsmiljørepræsentant",
    "• Ansat efter overenskomst med 3F",
    "• Truckcertifikat B, kørekort B",
    "• Erfaring med børn med ADHD fra SFO",
    "• Stresshåndtering og konflikthåndtering",
    "• Kan arbejde under stress og i højt tempo",
    "• Fleksjob: 25 timer om ugen",
    "rolig under pres",
    "har været tillidsrepræsentant for",
]

CV_EN = """CV – John Peter Mallory
Warehouse operative | Forklift driver

Address: Amagerbrogade 212, 3. tv, 2300 København S
Phone: +44 7700 900123 / +45 40 50 60 70
Email: j.mallory@example.co.uk
Date of birth: 03/07/1979
Gender: Male
Marital status: Married, three children
Nationality: British
Religion: Catholic
Photo: see attached

About me
I am 47 years old and originally from Manchester. I am a practising Catholic and I am gay.
Member of 3F since 2010. I suffer from chronic pain after a back injury and was on sick leave due to stress in 2020.
I volunteer for LGBT+ Danmark and I am a member of Socialdemokratiet.
John is a reliable colleague, and Mallory's forklift record is spotless.
I am a British citizen and came to Denmark in 2012.

Experience
2016–2024 Warehouse operative, Nordhavn Freight ApS
• Experience with patients with cancer and diabetes from a hospital porter job
• Shop steward for 3F and health and safety representative
• Working with refugees and immigrants at the job centre
• Training in stress management and mental health first aid
• Teaching children with autism to swim
• Church organist at weekends
"""

CV_EN_PLANTED = {
    "name": ["John Peter Mallory", "John is", "Mallory's"],
    "address": ["Amagerbrogade 212, 3. tv"],
    "phone": ["+44 7700 900123", "+45 40 50 60 70"],
    "email": ["j.mallory@example.co.uk"],
    "birth_date": ["03/07/1979", "47 years old"],
    "gender": ["Male"],
    "family": ["Married, three children"],
    "origin": ["British", "originally from Manchester", "British citizen", "came to Denmark in 2012"],
    "religion": ["Catholic", "practising Catholic"],
    "photo": ["see attached"],
    "sexual_orientation": ["I am gay", "LGBT+ Danmark"],
    "union": ["Member of 3F", "Shop steward for 3F"],
    "health": ["chronic pain", "back injury", "sick leave due to stress"],
    "political": ["Socialdemokratiet"],
}

CV_EN_COMPETENCES = [
    "Warehouse operative | Forklift driver",
    "2016–2024 Warehouse operative, Nordhavn Freight ApS",
    "• Experience with patients with cancer and diabetes from a hospital porter job",
    "health and safety representative",
    "• Working with refugees and immigrants at the job centre",
    "• Training in stress management and mental health first aid",
    "• Teaching children with autism to swim",
    "• Church organist at weekends",
    "forklift record is spotless",
]

# A CV in the style of the PDF export of a template: contact details on one line.
CV_ONE_LINE_CONTACT = """Kemal Arslan Dahlberg
Buschauffør – kørekort D
Sydhavnsgade 12, 5. th., 2450 København SV | Telefon: +45 19 81 52 64 | E-mail: kemal.d@example.net
Om mig
Jeg er buschauffør med ti års erfaring. Kemal er rolig under pres.
• Befordring af passagerer med handicap, 2018
• Konflikthåndtering for chauffører, 2019
"""


def _assert_gone(original: str, result: RedactionResult, planted: dict[str, list[str]]) -> None:
    """Every planted string is fully masked, each by a span of the expected category."""
    for category, items in planted.items():
        for item in items:
            start = original.index(item)
            masked = result.text[start : start + len(item)]
            # the personal-data part of the item must not survive anywhere in the output
            core = _core(item)
            assert core not in result.text, f"{category}: {core!r} survived"
            assert masked != item
        assert result.counts.get(category, 0) >= 1, f"no {category} span found"


def _core(item: str) -> str:
    """The sensitive part of a planted phrase (the phrase minus ordinary words around it)."""
    cores = {
        "Mette er kendt": "Mette",
        "Abildgaards kolleger": "Abildgaard",
        "Jeg er 41 år": "41 år",
        "medlem af 3F": "af 3F",
        "tillidsrepræsentant for 3F på": "for 3F på",
        "går i kirke": "i kirke",
        "John is": "John",
        "I am gay": "gay",
        "Member of 3F": "of 3F",
        "Shop steward for 3F": "for 3F",
        "practising Catholic": "practising Catholic",
    }
    return cores.get(item, item)


def _assert_offsets_kept(original: str, result: RedactionResult) -> None:
    """Same length; outside spans every character is unchanged; inside only mask characters."""
    assert len(result.text) == len(original)
    covered = [False] * len(original)
    for start, end, category in result.spans:
        assert category in CATEGORIES
        for i in range(start, end):
            covered[i] = True
        allowed = set(MASK_CHAR + "[]\n" + "".join(LABELS["da"].values()) + "".join(LABELS["en"].values()))
        assert set(result.text[start:end]) <= allowed
        assert original.count("\n", start, end) == result.text.count("\n", start, end)
    for i, (a, b) in enumerate(zip(original, result.text)):
        if not covered[i]:
            assert a == b, f"offset {i} changed"
    spans = result.spans
    assert spans == sorted(spans)
    assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1)), "spans overlap"
    counts: dict[str, int] = {}
    for _, _, category in spans:
        counts[category] = counts.get(category, 0) + 1
    assert counts == result.counts


@pytest.mark.parametrize(
    ("cv", "planted", "competences"),
    [(CV_DA, CV_DA_PLANTED, CV_DA_COMPETENCES), (CV_EN, CV_EN_PLANTED, CV_EN_COMPETENCES)],
    ids=["danish", "english"],
)
def test_planted_pii_is_gone_and_competences_survive(cv, planted, competences):
    result = redact(cv)
    _assert_gone(cv, result, planted)
    for sentence in competences:
        start = cv.index(sentence)
        assert result.text[start : start + len(sentence)] == sentence, f"competence text changed: {sentence!r}"
    _assert_offsets_kept(cv, result)


@pytest.mark.parametrize("cv", [CV_DA, CV_EN, CV_ONE_LINE_CONTACT])
def test_every_category_appears_in_some_fixture_and_special_ones_are_flagged(cv):
    result = redact(cv)
    assert set(result.counts) <= set(CATEGORIES)
    assert SPECIAL_CATEGORIES < set(CATEGORIES)


def test_fixtures_cover_every_category():
    seen = set(redact(CV_DA).counts) | set(redact(CV_EN).counts)
    assert seen == set(CATEGORIES)


def test_same_length_masks_with_labels():
    result = redact("CPR: 120385-1234\nTelefon 22 33 44 55", lang="da")
    assert result.text == "CPR: [CPR]██████\nTelefon [TLF]██████"
    assert redact("Phone: 22 33 44 55", lang="en").text == "Phone: [PHONE]████"
    # a span shorter than its label is only mask characters
    assert redact("Medlem af 3F.").text == "Medlem af ██."


def test_mask_keeps_line_breaks_inside_a_span():
    text = "Bor på Kastanievej 14, 2. th.\n2400 København NV\nTruckfører"
    result = redact(text)
    assert result.text.split("\n")[2] == "Truckfører"
    assert result.text.count("\n") == 2
    assert "2400" not in result.text and "Kastanievej" not in result.text
    _assert_offsets_kept(text, result)


def test_keep_postcode_keeps_home_postcode_and_town_only():
    hidden = redact(CV_DA)
    kept = redact(CV_DA, keep_postcode=True)
    assert "2400 København NV" not in hidden.text and hidden.home_postcode is None
    assert "2400 København NV" in kept.text and kept.home_postcode == "2400"
    assert "Kastanievej" not in kept.text
    one_line = redact(CV_ONE_LINE_CONTACT, keep_postcode=True)
    assert "2450 København SV" in one_line.text and one_line.home_postcode == "2450"
    assert "Sydhavnsgade" not in one_line.text and "19 81 52 64" not in one_line.text
    assert "kemal.d@example.net" not in one_line.text
    _assert_offsets_kept(CV_DA, kept)


def test_one_line_contact_block_and_name_repeats():
    result = redact(CV_ONE_LINE_CONTACT)
    assert "Kemal" not in result.text and "Dahlberg" not in result.text
    assert "Buschauffør – kørekort D" in result.text
    assert "• Befordring af passagerer med handicap, 2018" in result.text  # a group, not the citizen
    assert "| Telefon:" in result.text and "| E-mail:" in result.text  # labels stay, values go


# --- CPR ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("cpr 120385-1234", True),
        ("1203851234", True),
        ("120385 1234", True),
        ("290200-4123", True),  # 29 Feb 2000: digit 7 = 4 and year 00 -> 2000, a leap year
        ("290201-1234", False),  # 29 Feb 1901 does not exist
        ("320185-1234", False),  # day 32
        ("121385-1234", False),  # month 13
        ("ordre 1203851234567", False),  # part of a longer number
    ],
)
def test_cpr_with_date_check(text, found):
    assert (redact(text).counts.get("cpr", 0) == 1) is found


def test_cpr_label_redacts_even_invalid_numbers():
    assert "320185" not in redact("CPR-nr.: 320185-1234").text


# --- phone, e-mail, links -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("ring 20 30 40 50", True),
        ("ring 2030 4050", True),
        ("ring 87654321", True),
        ("ring +45 11 22 33 44", True),
        ("ring 0045 87654321", True),
        ("Tlf. 11 22 33 44", True),
        ("call +46 70 123 45 67", True),
        ("2015 2018 Lagermedarbejder", False),  # a period, not a number
        ("20230115", False),  # a date
        ("varenummer 12345678", False),  # Danish numbers do not start with 1
        ("Windows 10, Office 365", False),
    ],
)
def test_phone_numbers(text, found):
    assert (redact(text).counts.get("phone", 0) >= 1) is found


def test_email_and_profile_links():
    text = "Skriv til ole.k+cv@mail.example.com eller se linkedin.com/in/ole-k og github.com/olek. Kender Excel."
    result = redact(text)
    assert result.counts == {"email": 1, "url": 2}
    assert result.text.endswith("Kender Excel.")


# --- names ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_line", "name"),
    [
        ("Mette Hansen", "Mette Hansen"),
        ("METTE HANSEN", "METTE HANSEN"),
        ("Anne-Marie van der Berg", "Anne-Marie van der Berg"),
        ("Mette Hansen – Lagermedarbejder", "Mette Hansen"),
        ("CV – Ali Hassan Omar", "Ali Hassan Omar"),
        ("Mette Hansen (41 år)", "Mette Hansen"),
    ],
)
def test_name_on_first_line(first_line, name):
    text = f"{first_line}\nTruckfører\nJeg hedder {name.split()[0]} og kører truck."
    result = redact(text)
    assert name not in result.text
    assert name.split()[0] not in result.text  # the repeat later in the text
    assert "Truckfører" in result.text


def test_heading_line_before_the_name_is_skipped():
    result = redact("Curriculum Vitae\n\nKarin Lund Sørensen\nPædagog")
    assert result.text.startswith("Curriculum Vitae\n\n[NAVN]")
    assert "Sørensen" not in result.text and "Pædagog" in result.text


@pytest.mark.parametrize(
    "first_line",
    ["Erfaren lagermedarbejder søger nyt job", "Social- og sundhedsassistent", "Personlige Oplysninger",
     "Lagermedarbejder", "Om Mig", "Truckfører Med Certifikat B"],
)
def test_titles_are_not_names(first_line):
    assert redact(first_line + "\nTekst").counts.get("name", 0) == 0


def test_name_label_and_common_word_surnames():
    text = "Navn: Lars Bager\nBager hos Lagkagehuset 2019–2021. Lars bagte rugbrød."
    result = redact(text)
    assert "Lars" not in result.text
    assert "Bager hos Lagkagehuset" in result.text  # the job title, not the surname on its own
    assert "rugbrød" in result.text


def test_looks_like_name():
    assert looks_like_name("Jens Peter Nielsen")
    assert looks_like_name("Fatima El Amrani")  # "El" as a capitalised name part
    assert not looks_like_name("Jens")
    assert not looks_like_name("Jens 2. Nielsen")
    assert not looks_like_name("Curriculum Vitae")
    assert not looks_like_name("Erfaren Lagermedarbejder")


# --- addresses, birth date, age --------------------------------------------------


@pytest.mark.parametrize(
    "address",
    ["Kastanievej 14", "Falkoner Allé 77, 3. tv.", "H.C. Andersens Boulevard 27, st.", "Ny Østergade 3B, 1. sal",
     "Vesterbrogade 112 A, kl.", "Sankt Peders Stræde 4", "Søborg Hovedgade 98, 1. tv."],
)
def test_street_addresses(address):
    text = f"Jeg bor på {address}, 2860 Søborg, og kører truck."
    result = redact(text)
    assert address.split()[0] not in result.text or address.startswith(("H.C.", "Ny", "Sankt", "Søborg"))
    assert address not in result.text
    assert "2860" not in result.text
    assert result.text.endswith("og kører truck.")


@pytest.mark.parametrize(
    "text",
    ["Danmark 2019", "Dansk 3", "Windows Server 2019", "erfaring fra Coop Danmark 2015–2020", "Prøve i Dansk 2"],
)
def test_not_addresses(text):
    assert redact(text).text == text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Født: 12. marts 1985", "1985"),
        ("Fødselsdato: 12-03-1985", "1985"),
        ("Date of birth: 12 March 1985", "1985"),
        ("DOB: 1985-03-12", "1985"),
        ("Jeg er født den 12. marts 1985 i Hvidovre.", "1985"),
        ("Jeg er født i 1985.", "1985"),
        ("I was born in 1979.", "1979"),
        ("Alder: 41 år", "41"),
        ("Jeg er 41 år og stabil.", "41"),
        ("Applicant, age 41, forklift licence", "41"),
        ("I am 41 years old.", "41"),
        ("Mette Hansen (41 år)", "41"),
        ("Lagermedarbejder, 41 år gammel", "41"),
        ("41-årig lagermedarbejder", "41"),
    ],
)
def test_birth_date_and_age(text, secret):
    result = redact(text)
    assert secret not in result.text
    assert result.counts.get("birth_date", 0) >= 1


@pytest.mark.parametrize("text", ["Jeg har 12 års erfaring.", "arbejde med børn i alderen 3-6 år", "10 år som kok"])
def test_experience_years_are_not_age(text):
    assert redact(text).text == text


def test_photo_line_is_removed_and_gender_family_labels():
    text = "Foto: se vedhæftet billede\nKøn: Mand\nCivilstand: Gift\nBørn: 2\nKørekort: B"
    result = redact(text)
    lines = result.text.split("\n")
    assert set(lines[0]) <= set("[FOTO]█")
    assert lines[1].startswith("Køn: ") and "Mand" not in lines[1]
    assert "Gift" not in result.text and "Børn: 2" not in result.text
    assert lines[4] == "Kørekort: B"


# --- special categories: personal vs. competence ---------------------------------


@pytest.mark.parametrize(
    ("text", "secret", "category"),
    [
        ("Jeg har diabetes.", "diabetes", "health"),
        ("Mine kolleger ved, at jeg har epilepsi.", "epilepsi", "health"),
        ("Jeg arbejder deltid pga. min gigt.", "gigt", "health"),
        ("Jeg har selv ADHD.", "ADHD", "health"),
        ("Gik ned med stress i 2022.", "stress", "health"),
        ("Jeg er førtidspensionist.", "førtidspensionist", "health"),
        ("Helbred: Astma, velbehandlet", "Astma", "health"),
        ("Jeg er praktiserende muslim.", "muslim", "religion"),
        ("Frivillig i moskéens lektiecafé.", "moskéens", "religion"),
        ("Jeg er medlem af HK.", "HK", "union"),
        ("Medlem af fagforening siden 2010.", "fagforening", "union"),
        ("Byrådsmedlem for Venstre 2018–2021.", "Venstre", "political"),
        ("Aktiv i Enhedslisten.", "Enhedslisten", "political"),
        ("Jeg er født i Somalia.", "Somalia", "origin"),
        ("Dansk statsborger siden 2015.", "statsborger", "origin"),
        ("Jeg er dansker med somalisk baggrund.", "somalisk", "origin"),
        ("Jeg kom til Danmark som flygtning i 2015.", "flygtning", "origin"),
        ("Jeg er homoseksuel.", "homoseksuel", "sexual_orientation"),
    ],
)
def test_special_categories_are_redacted(text, secret, category):
    result = redact(text)
    assert secret not in result.text, result.text
    assert result.counts.get(category, 0) >= 1


@pytest.mark.parametrize(
    "text",
    [
        "Kirkegårdsgartner ved Bispebjerg Kirkegård.",
        "Uddannet social- og sundhedsassistent med fokus på sundhed og forebyggelse.",
        "Diabetessygeplejerske og handicaphjælper.",
        "Erfaring med børn med ADHD og autisme.",
        "Kontaktperson for borgere med demens.",
        "Kursus i diabetes og hjertesygdomme.",
        "Stresshåndtering, konflikthåndtering og arbejde under stress.",
        "Tillidsrepræsentant i seks år.",
        "HK-uddannet kontorassistent.",
        "DM i håndbold 2019 med klubben.",
        "Drej til venstre ved porten; Venstre side af lageret.",
        "Underviste i islam og kristendom på en friskole.",
        "Arbejde med muslimske familier og flygtninge.",
        "Frivillig i Kirkens Korshær.",
        "Sagsbehandler for sygemeldte borgere.",
        "Ingeniør med teknisk baggrund og erfaring fra Norge.",
        "Vejleder for unge med somalisk baggrund.",
        "Rådgivning af LGBT+ unge.",
        "Ansat efter overenskomst med FOA.",
        "Fleksjob: 20 timer om ugen i kantinen.",
        "Sprog: dansk, arabisk (modersmål) og engelsk.",
        "Ansvarlig for APV og trivsel.",
    ],
)
def test_competence_text_is_untouched(text):
    result = redact(text)
    assert result.text == text, result.spans


def test_is_redacted_and_repr_hide_nothing_and_leak_nothing():
    result = redact("Telefon: 22 33 44 55\nTruckfører")
    start = result.text.index("Truckfører")
    assert not result.is_redacted(start, start + 10)
    assert result.is_redacted(9, 12)
    assert "22 33" not in repr(result)


def test_empty_and_plain_text():
    assert redact("").text == "" and redact("").spans == []
    plain = "Lagerarbejde, truckkørsel og pluk.\n• Ordrepluk\n• Vareindlevering"
    assert redact(plain).text == plain
    assert redact(plain).counts == {}


def test_unknown_label_language_falls_back_to_danish():
    assert redact("Telefon: 22 33 44 55", lang="fr").text == "Telefon: [TLF]██████"


# --- real job-posting text from the shared Kompetencer data (skips without it) -----


def _conll_sentences(path):
    sentences, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if current:
                sentences.append(current)
            current = []
            continue
        parts = line.split("\t")
        if len(parts) >= 3:
            current.append((parts[0], parts[1], parts[2]))
    if current:
        sentences.append(current)
    return sentences


def test_real_competence_phrases_survive(kompetencer_dir):
    """Gold competence phrases from real Danish postings are not redacted."""
    phrases = [line.split("\t")[0] for line in (kompetencer_dir / "2_da_train.tsv").read_text("utf-8").splitlines()]
    assert len(phrases) > 50
    touched = [p for p in phrases if redact(p).spans]
    assert touched == []


def test_real_posting_sentences_keep_their_skill_tokens(kompetencer_dir):
    """No token tagged as a skill or knowledge in real postings is ever masked."""
    sentences = _conll_sentences(kompetencer_dir / "kompetencer_danish_train.conll")
    assert len(sentences) > 100
    redacted_sentences = 0
    for tokens in sentences:
        text = ""
        token_spans = []
        for token, skill, knowledge in tokens:
            start = len(text)
            text += token + " "
            token_spans.append((start, start + len(token), skill != "O" or knowledge != "O"))
        result = redact(text)
        if result.spans:
            redacted_sentences += 1
        for start, end, tagged in token_spans:
            if tagged:
                assert not result.is_redacted(start, end), (text[start:end], text)
    assert redacted_sentences <= len(sentences) * 0.02


def test_no_personal_data_category_without_label():
    assert all(category in LABELS["da"] and category in LABELS["en"] for category in CATEGORIES)
    assert re.fullmatch(r"[A-ZÆØÅ]+", "".join(LABELS["da"].values()))


# --- the bundled demo personas (invented people, real-looking CV files) ---------------


def _personas():
    try:
        from jobmatch.personas import list_personas

        return list_personas()
    except Exception:  # noqa: BLE001 — the persona index is another module's business
        return []


def test_demo_personas_are_redacted():
    """Read each demo CV file, redact it, and check the persona's name, contact
    details and street address are gone while the home postcode is kept."""
    from jobmatch.cv import read_cv

    personas = _personas()
    if not personas:
        pytest.skip("no demo personas bundled")
    for persona in personas:
        text = read_cv(persona.path.read_bytes(), persona.path.name, allow_ocr=False).text
        result = redact(text, lang=persona.lang, keep_postcode=True)
        for part in persona.name.split():
            assert not re.search(rf"(?<!\w){re.escape(part)}(?!\w)", result.text), (persona.id, part)
        assert "@" not in result.text, persona.id
        assert not re.search(r"\+45[ \d]{8,}", result.text), persona.id
        assert result.home_postcode == str(persona.postcode), persona.id
        assert {"name", "address", "phone", "email"} <= set(result.counts), persona.id
        # the CV is still mostly there: redaction is minimal
        masked = sum(end - start for start, end, _ in result.spans)
        assert masked < 0.1 * len(text), persona.id
        _assert_offsets_kept(text, result)
