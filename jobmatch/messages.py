"""User-facing messages for refused or shortened CV files, in Danish and English.

A message is looked up by a stable *code* (the same code that
:class:`jobmatch.cv.CVReadError` carries and that ``CVText.notices`` lists), so
the screen, the tests and a log line can all refer to one thing without ever
quoting the CV itself. Some codes have a *variant* (``"no_text.document"``)
for when the wording depends on the file type; :func:`message` falls back from
the variant to the plain code.

Every message is one line, says what is wrong and, where the citizen can do
something about it, what to do. No message contains file content.
"""

from __future__ import annotations

from jobmatch import config

#: code (optionally ``code.variant``) -> language -> message template.
#: Templates may contain ``{placeholders}`` filled from safe numbers only
#: (e.g. the size limit), never from the file.
MESSAGES: dict[str, dict[str, str]] = {
    # --- refusals (CVReadError codes) -------------------------------------
    "empty": {
        "da": "Filen er tom.",
        "en": "The file is empty.",
    },
    "too_large": {
        "da": "Filen er for stor. Den må højst fylde {max_mb} MB.",
        "en": "The file is too large. The maximum size is {max_mb} MB.",
    },
    "unsupported_format": {
        "da": "Filtypen kan ikke læses. Brug PDF, Word (.docx), OpenDocument (.odt) eller almindelig tekst (.txt).",
        "en": "This file type cannot be read. Please use PDF, Word (.docx), OpenDocument (.odt) or plain text (.txt).",
    },
    "unsupported_format.doc": {
        "da": "Gamle Word-filer (.doc) kan ikke læses. Åbn filen i Word, gem den som .docx eller PDF, og prøv igen.",
        "en": "Old Word files (.doc) cannot be read. Open the file in Word, save it as .docx or PDF and try again.",
    },
    "corrupt": {
        "da": "Filen er beskadiget eller ufuldstændig og kan ikke læses. Prøv at gemme eller hente den igen.",
        "en": "The file is damaged or incomplete and cannot be read. Try saving or downloading it again.",
    },
    "encrypted": {
        "da": "PDF-filen er beskyttet med adgangskode. Gem den uden adgangskode og prøv igen.",
        "en": "The PDF file is password-protected. Save it without a password and try again.",
    },
    "encrypted.docx": {
        "da": "Word-filen er beskyttet med adgangskode. Gem den uden adgangskode og prøv igen.",
        "en": "The Word file is password-protected. Save it without a password and try again.",
    },
    "no_text": {
        "da": (
            "PDF-filen indeholder kun billeder (scannet dokument) og ingen tekst. "
            "Gem CV'et som PDF fra Word eller et andet skriveprogram, eller skriv teksten ind."
        ),
        "en": (
            "The PDF file contains only images (a scanned document) and no text. "
            "Save the CV as a PDF from Word or another writing program, or type the text in."
        ),
    },
    "no_text.document": {
        "da": (
            "Dokumentet indeholder ingen tekst, der kan læses. "
            "Er CV'et indsat som et billede, så gem det som tekst og prøv igen."
        ),
        "en": (
            "The document contains no readable text. "
            "If the CV was inserted as a picture, save it as text and try again."
        ),
    },
    "zip_bomb": {
        "da": "Filen er afvist af sikkerhedshensyn, fordi den pakker sig ud til en unormalt stor størrelse.",
        "en": "The file was refused for security reasons because it unpacks to an abnormally large size.",
    },
    "binary": {
        "da": "Filen indeholder ikke læsbar tekst. Kontrollér, at det er den rigtige fil.",
        "en": "The file does not contain readable text. Check that it is the right file.",
    },
    # --- notices (CVText.notices codes): the file was read, but tell the user ---
    "truncated": {
        "da": "CV'et er meget langt, så kun den første del er læst.",
        "en": "The CV is very long, so only the first part was read.",
    },
    "format_mismatch": {
        "da": "Filens endelse passer ikke til indholdet, men filen kunne læses alligevel.",
        "en": "The file name extension does not match the content, but the file could be read anyway.",
    },
    "ocr_used": {
        "da": "Teksten er læst fra et scannet dokument med tekstgenkendelse og kan indeholde fejl.",
        "en": "The text was read from a scanned document with text recognition and may contain errors.",
    },
}

#: Language used when a caller asks for one we do not have.
DEFAULT_LANG = "da"


def message(code: str, lang: str = DEFAULT_LANG, *, variant: str | None = None, **params: object) -> str:
    """The one-line message for ``code`` in ``lang`` ('da' or 'en').

    ``variant`` picks a more specific wording (``"no_text.document"``) when one
    exists. ``params`` fill placeholders; ``max_mb`` defaults to the
    configured upload limit, and a bad template never raises on the page that
    shows the error. Unknown codes get the generic "cannot be read" message.
    """
    entry = None
    if variant:
        entry = MESSAGES.get(f"{code}.{variant}")
    if entry is None:
        entry = MESSAGES.get(code)
    if entry is None:
        entry = MESSAGES["corrupt"]
    template = entry.get(lang) or entry[DEFAULT_LANG]
    if "{max_mb}" in template and "max_mb" not in params:
        params["max_mb"] = config.settings().max_upload_bytes / (1024 * 1024)
    shown = {key: _format_number(value, lang) for key, value in params.items()}
    try:
        return template.format(**shown)
    except (KeyError, IndexError, ValueError):
        return template


def _format_number(value: object, lang: str) -> object:
    """Floats with at most three significant digits, decimal comma in Danish."""
    if not isinstance(value, float):
        return value
    text = f"{value:.3g}"
    return text.replace(".", ",") if lang == "da" else text
