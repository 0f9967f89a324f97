"""Builds a corpus of good and bad CV files for the tests of :mod:`jobmatch.cv`.

Every file is generated on the fly (reportlab, python-docx, pypdf, zipfile,
Pillow) into a temporary folder, so the repository holds no binary test
files and the corpus can grow without bloating git. The people in the files
are invented.

:func:`build_corpus` writes all files and returns :class:`Case` objects that
say what :func:`jobmatch.cv.read_cv` should make of each: either an error
code, or text that must be present.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

#: Words planted in the good files. Refusal messages must never contain them.
CANARY = "Østergård-Nørbæk"

PDF_PAGE_1 = [
    f"Birthe {CANARY}",
    "Lagermedarbejder med truckcertifikat",
    "Erhvervserfaring",
    "2019 – 2024 Lagermedarbejder, Ærøskøbing Fragt ApS",
    "• Pluk og pak af ordrer med håndscanner",
    "• Truckkørsel og vareindlevering",
]
PDF_PAGE_2 = [
    "Uddannelse",
    "2015 Truckcertifikat B, AMU Øresund",
    "Sprog: dansk, engelsk og færøsk",
    "Kompetencer: ansvarsbevidst, mødestabil, god til at samarbejde",
]

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

TXT_BODY = (
    f"Søren {CANARY}\n"
    "Køkkenmedarbejder\n"
    "\n"
    "Erfaring\n"
    "• Madlavning til 200 kuverter – også smørrebrød\n"
    "• Rengøring efter HACCP, egenkontrol\n"
    "Løn: 180 € pr. dag i sæsonen på Ærø\n"
)


@dataclass(frozen=True)
class Case:
    """One corpus file and what reading it should give."""

    name: str
    path: Path
    #: the CVReadError code expected, or None when the file should be read
    code: str | None = None
    #: substrings the text must contain (good files only)
    contains: tuple[str, ...] = ()
    #: the source format expected (good files only)
    source_format: str | None = None
    notices: tuple[str, ...] = field(default_factory=tuple)


# =============================================================================
# Builders (bytes)
# =============================================================================


def make_pdf(pages: list[list[str]] | None = None) -> bytes:
    """A text PDF made with reportlab: one line of text per list entry."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pages = pages if pages is not None else [PDF_PAGE_1, PDF_PAGE_2]
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for lines in pages:
        pdf.setFont("Helvetica", 12)
        y = 800
        for line in lines:
            pdf.drawString(60, y, line)
            y -= 22
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_image_only_pdf() -> bytes:
    """A 'scanned' PDF: a raster image and vector shapes, but no text at all."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    picture = Image.new("RGB", (400, 200), "white")
    draw = ImageDraw.Draw(picture)
    for i in range(0, 200, 20):  # stripes that look like lines of text from afar
        draw.rectangle([20, i + 5, 380, i + 12], fill="black")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.drawImage(ImageReader(picture), 60, 500, width=400, height=200)
    pdf.rect(60, 300, 200, 100, fill=1)
    pdf.circle(400, 350, 50)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_encrypted_pdf(user_password: str = "hemmelig", owner_password: str | None = "ejer") -> bytes:
    """The text PDF, encrypted with pypdf (RC4, which needs no extra package)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(make_pdf())).pages:
        writer.add_page(page)
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_docx() -> bytes:
    """A Word CV with heading, a header, bullets, a numbered list and a table."""
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Kontakt: birthe@example.org"
    document.add_heading(f"Birthe {CANARY}", level=1)
    document.add_paragraph("Social- og sundhedsassistent med ti års erfaring fra Århus og Næstved.")
    document.add_heading("Erhvervserfaring", level=2)
    table = document.add_table(rows=3, cols=2)
    rows = [
        ("Periode", "Stilling"),
        ("2018–2024", "Social- og sundhedsassistent, Plejecenter Søholm"),
        ("2014–2018", "Social- og sundhedshjælper, Hjemmeplejen Østerbro"),
    ]
    for row, (period, job) in zip(table.rows, rows):
        row.cells[0].text = period
        row.cells[1].text = job
    document.add_heading("Kompetencer", level=2)
    for bullet in ("Medicinhåndtering og dokumentation", "Forflytning med lift", "Rolig under pres"):
        document.add_paragraph(bullet, style="List Bullet")
    document.add_heading("Mål", level=2)
    for step in ("Fast stilling", "Efteruddannelse i demens"):
        document.add_paragraph(step, style="List Number")
    document.add_paragraph("Kørekort B – bil til rådighed.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_odt() -> bytes:
    """An OpenDocument text file built by hand: mimetype, manifest, content.xml."""
    content = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content
  xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
  office:version="1.3">
 <office:automatic-styles>
  <text:list-style style:name="L2">
   <text:list-level-style-number text:level="1"/>
  </text:list-style>
 </office:automatic-styles>
 <office:body>
  <office:text>
   <text:h text:outline-level="1">Jørgen {CANARY}</text:h>
   <text:p>Tømrer<text:tab/>og<text:s text:c="3"/>snedker<text:line-break/>Bor i Ølstykke</text:p>
   <text:h text:outline-level="2">Kompetencer</text:h>
   <text:list>
    <text:list-item><text:p>Tagarbejde og <text:span>renovering</text:span></text:p></text:list-item>
    <text:list-item><text:p>Læsning af tegninger</text:p>
     <text:list><text:list-item><text:p>Også CAD-tegninger</text:p></text:list-item></text:list>
    </text:list-item>
   </text:list>
   <text:list text:style-name="L2">
    <text:list-item><text:p>Første mål</text:p></text:list-item>
    <text:list-item><text:p>Andet mål</text:p></text:list-item>
   </text:list>
   <table:table table:name="Erfaring">
    <table:table-column table:number-columns-repeated="2"/>
    <table:table-row>
     <table:table-cell><text:p>2010–2020</text:p></table:table-cell>
     <table:table-cell><text:p>Tømrersvend, Åbyhøj Byg</text:p></table:table-cell>
    </table:table-row>
   </table:table>
   <text:p>Kørekort B</text:p>
  </office:text>
 </office:body>
</office:document-content>
"""
    manifest = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        # The ODF spec wants 'mimetype' first and stored uncompressed.
        zf.writestr(zipfile.ZipInfo("mimetype"), ODT_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", content.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


_TRICKY_BODY = """<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
 xmlns:v="urn:schemas-microsoft-com:vml">
 <w:p><w:r><w:t>Synlig tekst</w:t></w:r>
  <w:del w:id="1" w:author="a" w:date="2024-01-01T00:00:00Z"><w:r><w:delText>SLETTET</w:delText></w:r></w:del>
  <w:ins w:id="2" w:author="a" w:date="2024-01-01T00:00:00Z">
   <w:r><w:t xml:space="preserve"> og indsat</w:t></w:r></w:ins>
 </w:p>
 <w:p><w:r><w:t>Anker</w:t></w:r><w:r><mc:AlternateContent>
  <mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent>
   <w:p><w:r><w:t>Tekst i tekstboks</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>
  <mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>
   <w:p><w:r><w:t>Tekst i tekstboks</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>
 </mc:AlternateContent></w:r></w:p>
 <w:sdt><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>Fra indholdskontrol</w:t></w:r></w:p></w:sdtContent></w:sdt>
 <w:p><w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>Inline kontrol</w:t></w:r></w:sdtContent></w:sdt></w:p>
 <w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>HYPERLINK "https://example.org"</w:instrText></w:r>
  <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Linktekst</w:t></w:r>
  <w:r><w:fldChar w:fldCharType="end"/></w:r>
  <w:hyperlink w:anchor="top"><w:r><w:t xml:space="preserve"> og portfolio</w:t></w:r></w:hyperlink></w:p>
 <w:p><w:r><w:sym w:font="Symbol" w:char="F0B7"/><w:tab/><w:t>Symbolpunkt</w:t></w:r></w:p>
 <w:p><w:r><w:t>Linje et</w:t><w:br/><w:t>Linje to</w:t></w:r></w:p>
 <w:tbl>
  <w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>2015–2020</w:t></w:r></w:p></w:tc>
        <w:tc><w:p><w:r><w:t>Job et</w:t></w:r></w:p></w:tc></w:tr>
  <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>
        <w:tc><w:p><w:r><w:t>Job to</w:t></w:r></w:p></w:tc></w:tr>
 </w:tbl>
 <w:sectPr/>
</w:body>"""


def make_tricky_docx() -> bytes:
    """A DOCX with tracked changes, a text box (with its legacy duplicate),
    content controls, a field, a Symbol-font bullet, a line break and a
    vertically merged table cell — things real CV templates contain."""
    import re as _re

    source = zipfile.ZipFile(io.BytesIO(make_docx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                xml = data.decode("utf-8")
                xml = _re.sub(r"<w:body>.*</w:body>", lambda _: _TRICKY_BODY, xml, flags=_re.S)
                data = xml.encode("utf-8")
            target.writestr(info, data)
    return buffer.getvalue()


def make_odt_with_entities() -> bytes:
    """An ODT whose content.xml tries entity expansion ('billion laughs')."""
    lol = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    content = (
        '<?xml version="1.0"?>' + lol + '<office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        "<text:p>&lol2;</text:p></office:text></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), ODT_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _docx_skeleton(zf: zipfile.ZipFile) -> None:
    """The two small parts that make a ZIP look like a Word document."""
    zf.writestr(
        "[Content_Types].xml",
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    )
    zf.writestr(
        "_rels/.rels",
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>',
    )


def make_docx_zip_bomb(megabytes: int = 200) -> bytes:
    """A DOCX whose document.xml unpacks to ``megabytes`` MB of spaces (~200 KB on disk)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        _docx_skeleton(zf)
        with zf.open("word/document.xml", "w") as member:
            member.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                         b'wordprocessingml/2006/main"><w:body>')
            chunk = b" " * (1024 * 1024)
            for _ in range(megabytes):
                member.write(chunk)
            member.write(b"</w:body></w:document>")
    return buffer.getvalue()


def make_odt_zip_bomb(megabytes: int = 60) -> bytes:
    """An ODT whose content.xml unpacks to ``megabytes`` MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), ODT_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        with zf.open("content.xml", "w") as member:
            chunk = b"\n" * (1024 * 1024)
            for _ in range(megabytes):
                member.write(chunk)
    return buffer.getvalue()


def make_many_members_docx(members: int = 5_000) -> bytes:
    """A DOCX with thousands of tiny members (a 'wide' bomb)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        _docx_skeleton(zf)
        for i in range(members):
            zf.writestr(f"word/media/x{i}.xml", b"<x/>")
    return buffer.getvalue()


def make_lying_zip_bomb() -> bytes:
    """A DOCX whose headers claim document.xml is 1 KB while it unpacks to 30 MB.

    Checks on declared sizes alone would let this through; the bounded
    stream must stop it.
    """
    data = bytearray(make_docx_zip_bomb(megabytes=30))
    forged = struct.pack("<I", 1024)
    name = b"word/document.xml"
    # local file header: signature PK\3\4, uncompressed size at offset 22
    pos = data.find(b"PK\x03\x04")
    while pos != -1:
        name_len = struct.unpack_from("<H", data, pos + 26)[0]
        if bytes(data[pos + 30 : pos + 30 + name_len]) == name:
            data[pos + 22 : pos + 26] = forged
        pos = data.find(b"PK\x03\x04", pos + 4)
    # central directory header: signature PK\1\2, uncompressed size at offset 24
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46 : pos + 46 + name_len]) == name:
            data[pos + 24 : pos + 28] = forged
        pos = data.find(b"PK\x01\x02", pos + 4)
    return bytes(data)


def make_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


def make_exe() -> bytes:
    """The start of a Windows executable: MZ header, DOS stub, padding."""
    header = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
    return header + b"This program cannot be run in DOS mode." + bytes(512)


def make_legacy_doc() -> bytes:
    """An OLE compound file as written by Word 97–2003 (.doc), reduced to its signature."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "WordDocument".encode("utf-16-le") + bytes(1024)


def make_password_docx() -> bytes:
    """What Word writes for a password-protected .docx: an OLE file with an EncryptedPackage stream."""
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(504)
        + "EncryptionInfo".encode("utf-16-le")
        + bytes(50)
        + "EncryptedPackage".encode("utf-16-le")
        + bytes(1024)
    )


def make_xlsx_like() -> bytes:
    """An Office package that is a spreadsheet, not a Word document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/xl/workbook.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        zf.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def garbage(n: int = 4096, seed: int = 1) -> bytes:
    return random.Random(seed).randbytes(n)


def long_text(chars: int = 80_000) -> str:
    """A realistic-looking CV text of at least ``chars`` characters."""
    line = "• Ansvarlig for varemodtagelse, lageroptælling og truckkørsel på Ølby Lager\n"
    return (line * (chars // len(line) + 1))[:chars]


# =============================================================================
# The corpus
# =============================================================================


def build_corpus(folder: Path) -> list[Case]:
    """Write every corpus file into ``folder`` and return the expectations."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def add(name: str, filename: str, data: bytes, **expect) -> None:
        path = folder / filename
        path.write_bytes(data)
        cases.append(Case(name=name, path=path, **expect))

    pdf = make_pdf()
    docx_bytes = make_docx()

    # --- good files ----------------------------------------------------------
    add("pdf", "cv.pdf", pdf, source_format="pdf",
        contains=("Birthe", "Ærøskøbing", "færøsk", "• Pluk og pak", "Truckcertifikat"))
    add("docx", "cv.docx", docx_bytes, source_format="docx",
        contains=("Næstved", "Periode | Stilling", "2018–2024 | Social- og sundhedsassistent, Plejecenter Søholm",
                  "• Forflytning med lift", "1. Fast stilling", "2. Efteruddannelse i demens",
                  "Kontakt: birthe@example.org"))
    add("odt", "cv.odt", make_odt(), source_format="odt",
        contains=("Jørgen", "Tømrer og snedker", "Bor i Ølstykke", "• Tagarbejde og renovering",
                  "• Også CAD-tegninger", "1. Første mål", "2. Andet mål",
                  "2010–2020 | Tømrersvend, Åbyhøj Byg"))
    add("txt_utf8", "cv_utf8.txt", TXT_BODY.encode("utf-8"), source_format="txt",
        contains=("Søren", "• Madlavning til 200 kuverter – også smørrebrød", "180 €", "Ærø"))
    add("txt_utf8_bom", "cv_utf8_bom.txt", TXT_BODY.encode("utf-8-sig"), source_format="txt",
        contains=("Søren", "Køkkenmedarbejder", "Ærø"))
    add("txt_cp1252", "cv_cp1252.txt", TXT_BODY.encode("cp1252"), source_format="txt",
        contains=("Søren", "smørrebrød", "–", "180 €", "Ærø"))
    add("txt_utf16", "cv_utf16.txt", TXT_BODY.encode("utf-16"), source_format="txt",
        contains=("Søren", "smørrebrød", "Ærø"))
    add("pdf_named_docx", "cv_forkert_endelse.docx", pdf, source_format="pdf",
        contains=("Ærøskøbing",), notices=("format_mismatch",))
    add("docx_named_pdf", "cv_forkert_endelse.pdf", docx_bytes, source_format="docx",
        contains=("Næstved",), notices=("format_mismatch",))
    add("pdf_owner_password_only", "cv_ejerkode.pdf", make_encrypted_pdf(user_password="", owner_password="ejer"),
        source_format="pdf", contains=("Ærøskøbing",))
    add("txt_long", "cv_lang.txt", long_text(80_000).encode("utf-8"), source_format="txt",
        contains=("Ølby Lager",), notices=("truncated",))

    # --- bad files -----------------------------------------------------------
    add("empty", "tom.pdf", b"", code="empty")
    add("empty_txt_whitespace", "tom.txt", b"  \r\n\t \n", code="empty")
    add("truncated_pdf", "halv.pdf", pdf[: len(pdf) // 2], code="corrupt")
    add("truncated_docx", "halv.docx", docx_bytes[: len(docx_bytes) // 2], code="corrupt")
    add("corrupt_docx", "skadet.docx", garbage(20_000, seed=2), code="corrupt")
    add("corrupt_pdf_header_only", "skadet.pdf", b"%PDF-1.7\n" + garbage(3000, seed=3) + b"\n%%EOF\n",
        code="corrupt")
    add("encrypted_pdf", "kode.pdf", make_encrypted_pdf(), code="encrypted")
    add("encrypted_docx", "kode.docx", make_password_docx(), code="encrypted")
    add("image_only_pdf", "scannet.pdf", make_image_only_pdf(), code="no_text")
    add("exe", "cv.exe", make_exe(), code="unsupported_format")
    add("png", "cv.png", make_png(), code="unsupported_format")
    add("png_named_pdf", "foto.pdf", make_png(), code="unsupported_format")
    add("text_named_exe", "tekst.exe", TXT_BODY.encode("utf-8"), code="unsupported_format")
    add("legacy_doc", "cv.doc", make_legacy_doc(), code="unsupported_format")
    add("xlsx_named_docx", "regneark.docx", make_xlsx_like(), code="unsupported_format")
    add("too_large", "stor.txt", b"a" * (10 * 1024 * 1024 + 1), code="too_large")
    add("docx_zip_bomb", "bombe.docx", make_docx_zip_bomb(), code="zip_bomb")
    add("odt_zip_bomb", "bombe.odt", make_odt_zip_bomb(), code="zip_bomb")
    add("docx_many_members", "mange.docx", make_many_members_docx(), code="zip_bomb")
    add("odt_entity_expansion", "entiteter.odt", make_odt_with_entities(), code="corrupt")
    add("binary_txt", "affald.txt", garbage(8192, seed=4), code="binary")
    add("binary_unknown_ext", "affald.bin", garbage(8192, seed=5), code="unsupported_format")
    return cases
