"""Reading a citizen's CV file (PDF, DOCX, ODT or TXT) into plain text.

:func:`read_cv` is the one door through which an uploaded CV enters the
system. It

* refuses bad files with a :class:`CVReadError` that carries a stable
  ``code`` and a clear one-line message in Danish or English (never a
  traceback, never a quote from the file — CV text is personal data);
* decides the format from the file's *content* (:func:`sniff_format`), not
  only from its name, so a PDF renamed ``.docx`` is still read (with a
  ``format_mismatch`` notice) and a picture renamed ``.pdf`` is refused;
* guards against hostile files: size limit before parsing, ZIP bombs
  (member sizes, compression ratio and member count checked from the central
  directory *before* anything is decompressed, and XML parts then read
  through a bounded stream), XML entity tricks (``defusedxml`` for ODT;
  python-docx's parser does not resolve entities);
* keeps the line structure (bullets, line breaks, table rows) that the later
  competence extraction relies on, normalises Unicode to NFC, replaces
  ligatures and tidies whitespace;
* truncates extremely long text to ``max_chars`` with a ``truncated`` notice
  rather than refusing it.

Scanned (image-only) PDFs are refused with ``no_text`` unless the optional
OCR engine Tesseract with Danish language data is installed
(:func:`ocr_available`), in which case the page images are recognised and the
result carries an ``ocr_used`` notice. Nothing is written to disk.
"""

from __future__ import annotations

import codecs
import io
import re
import shutil
import subprocess
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePath
from typing import Any, Literal

from jobmatch import config, messages

SourceFormat = Literal["pdf", "docx", "txt", "odt"]

#: File name extensions we accept and the format each one claims.
EXTENSIONS: dict[str, SourceFormat] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".odt": "odt",
    ".txt": "txt",
    ".text": "txt",
}

# --- limits for ZIP-based formats (DOCX, ODT) ---------------------------------
#: more members than this is not a CV (a normal DOCX has 10–40)
MAX_ZIP_MEMBERS = 1_000
#: no single member may unpack to more than this (bytes)
MAX_ZIP_MEMBER_BYTES = 50 * 1024 * 1024
#: all members together may not unpack to more than this (bytes)
MAX_ZIP_TOTAL_BYTES = 100 * 1024 * 1024
#: a member bigger than ``RATIO_MIN_BYTES`` may not be compressed more than this
#: (real XML compresses 5–30 times; a bomb of repeated bytes ~1000 times)
MAX_ZIP_RATIO = 100
RATIO_MIN_BYTES = 1024 * 1024

#: a PDF/DOCX/ODT with fewer letters and digits than this has "no text"
MIN_TEXT_CHARS = 20
#: share of control / undecodable characters above which a text file is binary
MAX_BAD_CHAR_SHARE = 0.05
#: OCR at most this many pages, each image for at most this many seconds
MAX_OCR_PAGES = 10
OCR_TIMEOUT_S = 60

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
#: magic numbers of file types people upload by mistake (all refused)
_OTHER_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"BM", "BMP image"),
    (b"MZ", "Windows executable"),
    (b"\x7fELF", "ELF executable"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-zip archive"),
    (b"Rar!", "RAR archive"),
    (b"{\\rtf", "RTF document"),
    (b"%!PS", "PostScript"),
)


@dataclass(repr=False)
class CVText:
    """The text of a CV file and how it was read.

    ``notices`` are message codes (see :mod:`jobmatch.messages`) to show the
    user, e.g. ``"truncated"``. ``pages`` is the page count for PDFs, else None.
    """

    text: str
    source_format: SourceFormat
    truncated: bool = False
    notices: list[str] = field(default_factory=list)
    pages: int | None = None

    def __repr__(self) -> str:
        # The text is personal data: keep it out of logs, tracebacks and reprs.
        return (
            f"CVText(source_format={self.source_format!r}, chars={len(self.text)}, "
            f"truncated={self.truncated}, notices={self.notices!r}, pages={self.pages!r})"
        )


class CVReadError(Exception):
    """A CV file that cannot be read, with a stable ``code``.

    ``code`` is one of ``empty``, ``too_large``, ``unsupported_format``,
    ``corrupt``, ``encrypted``, ``no_text``, ``zip_bomb``, ``binary``.
    ``detail`` is a short technical note for developers (never file content).
    ``variant`` selects a more specific wording of the same code (e.g.
    ``encrypted`` for a Word file rather than a PDF); ``params`` are safe
    numbers for the message (e.g. the size limit).
    """

    def __init__(
        self,
        code: str,
        detail: str | None = None,
        *,
        variant: str | None = None,
        params: dict[str, object] | None = None,
    ) -> None:
        self.code = code
        self.detail = detail
        self.variant = variant
        self.params = dict(params or {})
        super().__init__(f"{code}: {detail}" if detail else code)

    def message(self, lang: str = "da") -> str:
        """One-line message for the user, in Danish (default) or English."""
        return messages.message(self.code, lang, variant=self.variant, **self.params)


# =============================================================================
# Public entry points
# =============================================================================


def read_cv(
    data: bytes,
    filename: str | None,
    *,
    max_bytes: int | None = None,
    max_chars: int | None = None,
    allow_ocr: bool = True,
) -> CVText:
    """Read an uploaded CV file into normalised text.

    ``max_bytes`` and ``max_chars`` default to ``config.settings()``
    (``max_upload_bytes`` and ``max_cv_chars``), read at call time so that
    environment overrides apply. ``allow_ocr=False`` refuses scanned PDFs
    even when Tesseract is installed.

    Raises :class:`CVReadError` for any file that cannot be read; no other
    exception escapes for any content of ``data`` (a ``TypeError`` is raised
    only when ``data`` is not bytes at all — a programming error).
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"read_cv expects bytes, got {type(data).__name__}")
    settings = config.settings()
    max_bytes = settings.max_upload_bytes if max_bytes is None else max_bytes
    max_chars = settings.max_cv_chars if max_chars is None else max_chars
    data = bytes(data)
    try:
        return _read_cv(data, filename, max_bytes=max_bytes, max_chars=max_chars, allow_ocr=allow_ocr)
    except CVReadError:
        raise
    except Exception as exc:  # noqa: BLE001 — a bad upload must never become a traceback
        # ``from None``: the library's own message might quote the file.
        raise CVReadError("corrupt", f"unexpected {type(exc).__name__} while reading") from None


def read_cv_text(text: str, *, max_chars: int | None = None) -> CVText:
    """Wrap text typed or pasted by the user like a read file (format 'txt').

    Applies the same normalisation and truncation as :func:`read_cv`; raises
    ``CVReadError('empty')`` when there is no text.
    """
    max_chars = config.settings().max_cv_chars if max_chars is None else max_chars
    clean = normalise_text(text)
    if not any(ch.isalnum() for ch in clean):
        raise CVReadError("empty", "no text was entered")
    clean, truncated = _truncate(clean, max_chars)
    return CVText(clean, "txt", truncated, ["truncated"] if truncated else [], None)


def sniff_format(data: bytes, filename: str | None = None) -> SourceFormat:
    """Decide the format from the bytes themselves (magic numbers).

    The file name only breaks ties: text has no magic number, so plain text
    is accepted when the name ends in ``.txt``/``.text`` or has no extension.
    Raises :class:`CVReadError` (``empty``, ``unsupported_format``,
    ``corrupt``, ``encrypted``, ``zip_bomb`` or ``binary``) when the content
    is not something :func:`read_cv` can read.
    """
    if not data:
        raise CVReadError("empty")
    ext = _extension(filename)
    claimed = EXTENSIONS.get(ext)

    # The PDF header may legally be preceded by junk; readers look in the first KB.
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _sniff_zip(data, claimed)
    if data.startswith(_OLE_MAGIC):
        # Office's own password protection wraps a DOCX in an OLE container.
        if _ENCRYPTED_PACKAGE in data:
            raise CVReadError("encrypted", "password-protected Office document", variant="docx")
        raise CVReadError("unsupported_format", "legacy OLE document (.doc)", variant="doc")
    for magic, what in _OTHER_MAGIC:
        if data.startswith(magic):
            raise CVReadError("unsupported_format", what)
    if claimed in ("pdf", "docx", "odt"):
        raise CVReadError("corrupt", f"content is not a {claimed} file")
    if claimed == "txt" or ext == "":
        _decode_text(data[:65536])  # raises 'binary' for non-text
        return "txt"
    raise CVReadError("unsupported_format", f"extension {ext or '(none)'}")


@lru_cache(maxsize=1)
def ocr_languages() -> frozenset[str]:
    """Languages the installed Tesseract knows, or an empty set if none is installed."""
    exe = shutil.which("tesseract")
    if exe is None:
        return frozenset()
    try:
        result = subprocess.run(
            [exe, "--list-langs"], capture_output=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    output = (result.stdout + result.stderr).decode("utf-8", "replace")
    # The first line is a header ("List of available languages ...").
    return frozenset(line.strip() for line in output.splitlines()[1:] if line.strip())


def ocr_available() -> bool:
    """True when Tesseract with Danish language data (``dan``) is installed."""
    return "dan" in ocr_languages()


# =============================================================================
# Dispatch, normalisation and truncation
# =============================================================================


def _read_cv(data: bytes, filename: str | None, *, max_bytes: int, max_chars: int, allow_ocr: bool) -> CVText:
    if not data:
        raise CVReadError("empty", "no bytes")
    if len(data) > max_bytes:
        raise CVReadError(
            "too_large",
            f"{len(data)} bytes > {max_bytes}",
            params={"max_mb": max_bytes / (1024 * 1024)},
        )
    if not data.strip():
        raise CVReadError("empty", "only whitespace")
    fmt = sniff_format(data, filename)
    notices: list[str] = []
    claimed = EXTENSIONS.get(_extension(filename))
    if claimed is not None and claimed != fmt:
        notices.append("format_mismatch")

    pages: int | None = None
    if fmt == "pdf":
        raw, pages, ocr_used = _read_pdf(data, max_chars=max_chars, allow_ocr=allow_ocr)
        if ocr_used:
            notices.append("ocr_used")
    elif fmt == "docx":
        raw = _read_docx(data)
    elif fmt == "odt":
        raw = _read_odt(data)
    else:
        raw = _decode_text(data)

    # Tidying only shortens text (give or take a ligature), so there is no need
    # to tidy megabytes that would be cut off anyway.
    pre_cut = len(raw) > 2 * max_chars + 10_000
    if pre_cut:
        raw = raw[: 2 * max_chars + 10_000]
    text = normalise_text(raw)
    if fmt == "txt":
        if not any(ch.isalnum() for ch in text):
            raise CVReadError("empty", "no letters or digits")
    elif _meaningful_chars(text) < MIN_TEXT_CHARS:
        if fmt == "pdf":
            raise CVReadError("no_text", "no text layer")
        raise CVReadError("no_text", f"{fmt} without text", variant="document")

    text, truncated = _truncate(text, max_chars)
    truncated = truncated or pre_cut
    if truncated:
        notices.append("truncated")
    return CVText(text=text, source_format=fmt, truncated=truncated, notices=notices, pages=pages)


_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "ft", "ﬆ": "st"}
)
#: Symbol/Wingdings bullets that PDF and Word exports leave in the private use area
_PUA_BULLETS = str.maketrans({c: "•" for c in "\uf0b7\uf0a7\uf0a8\uf0d8\uf076\uf0fc\uf06e\uf0e0\uf0d0\uf02d"})
_NEWLINES = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
#: characters removed outright: soft hyphen, zero-width characters, BOM, replacement
#: char, control characters other than newline and tab, private-use icons, lone surrogates
_REMOVE = re.compile(
    "[\u00ad\u200b\u200c\u200d\u2060\ufeff\ufffd\x00-\x08\x0e-\x1f\x7f-\x9f"
    "\ud800-\udfff\ue000-\uf8ff\U000f0000-\U0010ffff]"
)
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
#: a bullet at the start of a line: glyph + space, or Word's "o<TAB>" second level
_LEADING_BULLET = re.compile(
    r"^[ \t\u00a0]*(?:[•●▪■◦‣⁃∙·○□➢➤►▶✓✔❖➔→][ \t\u00a0]*|[-–*][ \t\u00a0]+|o\t[ \t]*)(?=\S)"
)
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """Tidy extracted text while keeping its line structure.

    NFC normalisation, ligatures spelt out (``ﬁ`` → ``fi``), all line-break
    variants → ``\\n``, invisible characters and stray control characters
    removed, leading bullet glyphs unified to ``"• "``, runs of spaces and
    tabs collapsed, trailing spaces stripped, and at most one blank line in a
    row. Lines are never joined, so bullets and line breaks survive.
    """
    text = _NEWLINES.sub("\n", text)
    text = unicodedata.normalize("NFC", text).translate(_LIGATURES).translate(_PUA_BULLETS)
    text = _REMOVE.sub("", text)
    lines = []
    for line in text.split("\n"):
        line = _LEADING_BULLET.sub("• ", line)
        lines.append(_SPACES.sub(" ", line).strip())
    text = "\n".join(lines)
    return _MANY_BLANK_LINES.sub("\n\n", text).strip()


def _truncate(text: str, max_chars: int) -> tuple[str, bool]:
    """Cut ``text`` to at most ``max_chars``, preferably at a line end or space."""
    if len(text) <= max_chars:
        return text, False
    cut = text[:max_chars]
    newline = cut.rfind("\n", max(0, max_chars - 500))
    space = cut.rfind(" ", max(0, max_chars - 100))
    if newline > 0:
        cut = cut[:newline]
    elif space > 0:
        cut = cut[:space]
    return cut.rstrip(), True


def _meaningful_chars(text: str) -> int:
    return sum(1 for ch in text if ch.isalnum())


def _extension(filename: str | None) -> str:
    if not filename:
        return ""
    return PurePath(str(filename)).suffix.lower()


# =============================================================================
# Plain text
# =============================================================================


def _decode_text(data: bytes) -> str:
    """Decode a text file: BOM first, then strict UTF-8, then CP1252/Latin-1.

    A BOM is trusted (UTF-8, UTF-16, UTF-32). Without one, UTF-16 is
    recognised by its pattern of zero bytes, and otherwise strict UTF-8 is
    tried first — Latin-1 bytes for æøå are almost never valid UTF-8, so a
    successful strict decode is reliable. CP1252 (Windows' Western code page,
    a superset of Latin-1's printable range with – “ ” €) is the fallback,
    and Latin-1 for the five bytes CP1252 leaves undefined.

    Raises ``CVReadError('binary')`` when the result is mostly not text.
    """
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        text = data.decode("utf-32", errors="replace")
    elif data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    elif (guess := _guess_utf16_without_bom(data)) is not None:
        text = data.decode(guess, errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    if _bad_char_share(text) > MAX_BAD_CHAR_SHARE:
        raise CVReadError("binary", "control characters in text")
    return text


def _guess_utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the bytes look like BOM-less UTF-16 text."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    zeros_even = even.count(0) / len(even)
    zeros_odd = odd.count(0) / len(odd)
    # Latin-script UTF-16 has a zero high byte for most characters.
    if zeros_odd > 0.6 and zeros_even < 0.05:
        return "utf-16-le"
    if zeros_even > 0.6 and zeros_odd < 0.05:
        return "utf-16-be"
    return None


#: control characters that do not occur in text files (tab, CR, LF, FF and the
#: old DOS end-of-file mark do), plus the replacement character of failed decoding
_BAD_TEXT_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x19\x1b-\x1f\x7f-\x9f\ufffd]")


def _bad_char_share(text: str) -> float:
    """Share of characters that do not belong in a text file."""
    if not text:
        return 0.0
    return len(_BAD_TEXT_CHARS.findall(text)) / len(text)


# =============================================================================
# ZIP containers (DOCX, ODT)
# =============================================================================


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise CVReadError("corrupt", f"unreadable zip container ({type(exc).__name__})") from None


def _check_zip_bounds(zf: zipfile.ZipFile) -> None:
    """Refuse a ZIP bomb from its central directory, before decompressing anything."""
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise CVReadError("zip_bomb", f"{len(infos)} members")
    total = 0
    for info in infos:
        size = info.file_size
        total += size
        if size > MAX_ZIP_MEMBER_BYTES:
            raise CVReadError("zip_bomb", f"member unpacks to {size} bytes")
        if size > RATIO_MIN_BYTES and size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise CVReadError("zip_bomb", f"compression ratio {size // max(info.compress_size, 1)}")
        if info.flag_bits & 0x1:
            raise CVReadError("corrupt", "zip member is encrypted")
    if total > MAX_ZIP_TOTAL_BYTES:
        raise CVReadError("zip_bomb", f"members unpack to {total} bytes")


def _read_member(zf: zipfile.ZipFile, name: str, limit: int, *, keep: bool = True) -> bytes:
    """Decompress one member through a bounded stream.

    Stops with ``zip_bomb`` as soon as more than ``limit`` bytes come out,
    whatever the (possibly forged) header says. ``keep=False`` only counts.
    """
    chunks: list[bytes] = []
    produced = 0
    try:
        with zf.open(name) as stream:
            while chunk := stream.read(64 * 1024):
                produced += len(chunk)
                if produced > limit:
                    raise CVReadError("zip_bomb", f"member exceeds {limit} bytes when unpacked")
                if keep:
                    chunks.append(chunk)
    except CVReadError:
        raise
    except KeyError:
        raise CVReadError("corrupt", "missing zip member") from None
    except Exception as exc:  # BadZipFile (CRC), zlib.error, EOFError, NotImplementedError ...
        raise CVReadError("corrupt", f"damaged zip member ({type(exc).__name__})") from None
    return b"".join(chunks)


def _sniff_zip(data: bytes, claimed: SourceFormat | None) -> SourceFormat:
    """DOCX or ODT? Look at the package's own type declaration."""
    with _open_zip(data) as zf:
        _check_zip_bounds(zf)
        names = set(zf.namelist())
        if "mimetype" in names:
            mimetype = _read_member(zf, "mimetype", 1024).strip()
            if mimetype in (
                b"application/vnd.oasis.opendocument.text",
                b"application/vnd.oasis.opendocument.text-template",
            ):
                return "odt"
            raise CVReadError("unsupported_format", "OpenDocument, but not a text document")
        if "[Content_Types].xml" in names:
            content_types = _read_member(zf, "[Content_Types].xml", 1024 * 1024)
            if b"wordprocessingml.document.main+xml" in content_types:
                return "docx"
            raise CVReadError("unsupported_format", "Office package, but not a Word document")
    if claimed in ("docx", "odt"):
        raise CVReadError("corrupt", f"zip without {claimed} parts")
    raise CVReadError("unsupported_format", "zip archive")


# =============================================================================
# DOCX
# =============================================================================

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _read_docx(data: bytes) -> str:
    """Body text of a Word document in reading order.

    Paragraphs, tables (a row of one-line cells becomes ``a | b | c``; a
    layout table whose cells hold several paragraphs is read cell by cell),
    list items prefixed ``"• "`` or ``"1. "``, text boxes, content controls,
    and the text of headers (first) and footers (last), each line once.
    """
    import docx  # python-docx; imported here so the module loads without it

    with _open_zip(data) as zf:
        _check_zip_bounds(zf)
        # Stream every XML part through the bounded reader before python-docx
        # parses them, so a forged size in a header cannot slip through.
        for info in zf.infolist():
            if info.filename.endswith((".xml", ".rels")):
                _read_member(zf, info.filename, MAX_ZIP_MEMBER_BYTES, keep=False)
    try:
        document = docx.Document(io.BytesIO(data))
    except CVReadError:
        raise
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors ...
        raise CVReadError("corrupt", f"python-docx could not open the file ({type(exc).__name__})") from None

    walker = _DocxWalker(document)
    header_lines: list[str] = []
    footer_lines: list[str] = []
    for rel in list(document.part.rels.values()):
        if rel.is_external:
            continue
        kind = rel.reltype.rsplit("/", 1)[-1]
        if kind in ("header", "footer"):
            target = header_lines if kind == "header" else footer_lines
            target.extend(walker.blocks(rel.target_part.element))
    body_lines = list(walker.blocks(document.element.body))
    seen = set(body_lines)
    extra_head = _unique_new(header_lines, seen)
    extra_foot = _unique_new(footer_lines, seen)
    return "\n".join(extra_head + body_lines + extra_foot)


def _unique_new(lines: list[str], seen: set[str]) -> list[str]:
    """Non-empty lines not yet in ``seen`` (headers repeat per section)."""
    out = []
    for line in lines:
        if line.strip() and line not in seen:
            seen.add(line)
            out.append(line)
    return out


class _DocxWalker:
    """Walks WordprocessingML elements in document order, yielding text lines."""

    def __init__(self, document: Any) -> None:
        styles = _safe(lambda: document.styles.element)
        numbering = _safe(lambda: document.part.numbering_part.element)
        #: styleId -> w:style element
        self._styles: dict[str, Any] = {}
        if styles is not None:
            for style in styles.iterchildren(_W + "style"):
                self._styles.setdefault(style.get(_W + "styleId"), style)
        #: numId -> abstractNumId, and abstractNumId -> {level: numFmt}
        self._num_to_abstract: dict[str, str] = {}
        self._formats: dict[str, dict[int, str | None]] = {}
        if numbering is not None:
            for num in numbering.iterchildren(_W + "num"):
                ref = num.find(_W + "abstractNumId")
                if ref is not None:
                    self._num_to_abstract[num.get(_W + "numId")] = ref.get(_W + "val")
            for abstract in numbering.iterchildren(_W + "abstractNum"):
                levels: dict[int, str | None] = {}
                for lvl in abstract.iterchildren(_W + "lvl"):
                    fmt = lvl.find(_W + "numFmt")
                    try:
                        level = int(lvl.get(_W + "ilvl", "0"))
                    except ValueError:
                        continue
                    levels[level] = fmt.get(_W + "val") if fmt is not None else None
                self._formats[abstract.get(_W + "abstractNumId")] = levels
        self._counters: dict[tuple[str, int], int] = {}

    def blocks(self, element: Any) -> Iterator[str]:
        """Lines of a block container (body, cell, header, text box, content control)."""
        for child in element.iterchildren():
            tag = child.tag
            if tag == _W + "p":
                yield from self._paragraph(child)
            elif tag == _W + "tbl":
                yield from self._table(child)
            elif tag in (_W + "sdt", _W + "customXml"):
                content = child.find(_W + "sdtContent") if tag == _W + "sdt" else child
                if content is not None:
                    yield from self.blocks(content)

    # --- paragraphs ---------------------------------------------------------

    def _paragraph(self, p: Any) -> Iterator[str]:
        text = "".join(self._inline(p))
        prefix = self._list_prefix(p)
        if prefix and text.strip():
            text = prefix + text.lstrip()
        yield text
        # Text boxes anchored in this paragraph come right after it.
        for box in self._text_boxes(p):
            yield from self.blocks(box)

    def _inline(self, element: Any) -> Iterator[str]:
        """Visible text of runs, hyperlinks, insertions, inline content controls."""
        for child in element.iterchildren():
            tag = child.tag
            if not isinstance(tag, str):  # comments, processing instructions
                continue
            if tag == _W + "t":
                yield child.text or ""
            elif tag in (_W + "tab", _W + "ptab"):
                yield "\t"
            elif tag in (_W + "br", _W + "cr"):
                yield "\n"
            elif tag == _W + "noBreakHyphen":
                yield "-"
            elif tag == _W + "sym":
                char = child.get(_W + "char", "")
                yield "•" if char.upper() in ("F0B7", "F0A7", "F0D8", "F076", "F0FC") else ""
            elif tag in (_W + "del", _W + "moveFrom", _W + "txbxContent", _MC_FALLBACK, _W + "pPr", _W + "rPr"):
                continue  # deleted text, text boxes (handled as blocks), duplicates, formatting
            else:
                yield from self._inline(child)

    def _text_boxes(self, p: Any) -> list[Any]:
        """Outermost text boxes inside ``p``, skipping legacy duplicates in mc:Fallback."""
        boxes = []
        for box in p.iter(_W + "txbxContent"):
            node = box.getparent()
            nested = False
            while node is not None and node is not p:
                if node.tag in (_W + "txbxContent", _MC_FALLBACK):
                    nested = True
                    break
                node = node.getparent()
            if not nested:
                boxes.append(box)
        return boxes

    # --- lists ----------------------------------------------------------------

    def _list_prefix(self, p: Any) -> str:
        num_id, level = self._numbering_of(p)
        if num_id is None or num_id == "0":
            return ""
        fmt = self._num_format(num_id, level)
        if fmt in ("bullet", None):
            return "• "
        if fmt == "none":
            return ""
        key = (num_id, level)
        self._counters[key] = self._counters.get(key, 0) + 1
        for other in list(self._counters):  # a new item restarts deeper levels
            if other[0] == num_id and other[1] > level:
                del self._counters[other]
        return f"{self._counters[key]}. "

    def _numbering_of(self, p: Any) -> tuple[str | None, int]:
        """(numId, level) from the paragraph, else from its style chain."""
        num_pr = p.find(f"{_W}pPr/{_W}numPr")
        style_id = p.find(f"{_W}pPr/{_W}pStyle")
        style_id = style_id.get(_W + "val") if style_id is not None else None
        num_id = level = None
        if num_pr is not None:
            num_id, level = _num_pr_values(num_pr)
        depth = 0
        while num_id is None and style_id and depth < 10:  # depth: guard against basedOn cycles
            style = self._styles.get(style_id)
            if style is None:
                break
            style_num = style.find(f"{_W}pPr/{_W}numPr")
            if style_num is not None:
                num_id, style_level = _num_pr_values(style_num)
                level = level if level is not None else style_level
            based = style.find(_W + "basedOn")
            style_id = based.get(_W + "val") if based is not None else None
            depth += 1
        return num_id, level or 0

    def _num_format(self, num_id: str, level: int) -> str | None:
        """'bullet', 'decimal', 'none' …, or None when the numbering is not defined."""
        abstract_id = self._num_to_abstract.get(num_id)
        if abstract_id is None:
            return None
        return self._formats.get(abstract_id, {}).get(level)

    # --- tables ---------------------------------------------------------------

    def _table(self, tbl: Any) -> Iterator[str]:
        for tr in tbl.iterchildren(_W + "tr"):
            cells: list[list[str]] = []
            for tc in _row_cells(tr):
                merge = tc.find(f"{_W}tcPr/{_W}vMerge")
                if merge is not None and merge.get(_W + "val", "continue") != "restart":
                    continue  # continuation of a vertically merged cell: text is above
                lines = [line for line in self.blocks(tc) if line.strip()]
                if lines:
                    cells.append(lines)
            yield from _row_lines(cells)


def _row_lines(cells: list[list[str]]) -> list[str]:
    """Lines for one table row, given the non-empty lines of each cell.

    * every cell one line (``Periode | Stilling``): one line ``a | b``;
    * only the last cell has several lines (``2019–2022 | Title + bullets``):
      ``a | first line of b`` and then b's other lines, so a period stays on
      the line of its job title;
    * otherwise a layout table (CV templates put whole columns in cells):
      each cell as its own block, so a column's heading stays above its text.

    Rows with several lines end with a blank line that separates entries.
    """
    if not cells:
        return []
    lines = [[part for line in cell for part in line.split("\n") if part.strip()] for cell in cells]
    lines = [cell for cell in lines if cell]
    if not lines:
        return []
    if all(len(cell) == 1 for cell in lines):
        return [" | ".join(cell[0].strip() for cell in lines)]
    if all(len(cell) == 1 for cell in lines[:-1]):
        head = " | ".join(cell[0].strip() for cell in lines[:-1] + [lines[-1][:1]])
        return [head, *lines[-1][1:], ""]
    out: list[str] = []
    for cell in lines:
        out.extend(cell)
        out.append("")
    return out


def _row_cells(tr: Any) -> Iterator[Any]:
    """Cells of a table row, including those wrapped in content controls."""
    for child in tr.iterchildren():
        if child.tag == _W + "tc":
            yield child
        elif child.tag in (_W + "sdt", _W + "customXml"):
            content = child.find(_W + "sdtContent") if child.tag == _W + "sdt" else child
            if content is not None:
                yield from (c for c in content.iterchildren(_W + "tc"))


def _num_pr_values(num_pr: Any) -> tuple[str | None, int | None]:
    num_id = num_pr.find(_W + "numId")
    ilvl = num_pr.find(_W + "ilvl")
    level = None
    if ilvl is not None:
        try:
            level = int(ilvl.get(_W + "val", "0"))
        except ValueError:
            level = 0
    return (num_id.get(_W + "val") if num_id is not None else None), level


def _safe(getter: Any) -> Any:
    """``getter()`` or None if the optional package part is missing or broken."""
    try:
        return getter()
    except Exception:  # noqa: BLE001 — optional parts (numbering, styles) may be absent
        return None


# =============================================================================
# ODT
# =============================================================================

_T = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"

#: ODT elements whose content is never body text
_ODT_SKIP = {
    _T + "tracked-changes",
    _T + "note",
    _T + "sequence-decls",
    _T + "variable-decls",
    _T + "user-field-decls",
    _OFFICE + "annotation",
    _OFFICE + "annotation-end",
    _OFFICE + "forms",
}


def _read_odt(data: bytes) -> str:
    """Text of an OpenDocument text file (content.xml) in reading order.

    ``text:h`` and ``text:p`` become lines, list items get ``"• "`` (or
    ``"1. "`` for numbered list styles), table rows are read like DOCX rows,
    and text boxes in frames follow their paragraph. Parsed with defusedxml,
    which refuses entity expansion and external references.
    """
    from defusedxml import ElementTree as SafeET

    with _open_zip(data) as zf:
        _check_zip_bounds(zf)
        if "content.xml" not in zf.namelist():
            raise CVReadError("corrupt", "odt without content.xml")
        content = _read_member(zf, "content.xml", MAX_ZIP_MEMBER_BYTES)
    try:
        root = SafeET.fromstring(content)
    except Exception as exc:  # ParseError, DTDForbidden, EntitiesForbidden ...
        raise CVReadError("corrupt", f"content.xml is not valid XML ({type(exc).__name__})") from None

    body = root.find(f"{_OFFICE}body/{_OFFICE}text")
    if body is None:
        raise CVReadError("corrupt", "odt without office:text body")
    walker = _OdtWalker(root)
    return "\n".join(walker.blocks(body, list_style=None, list_level=0))


class _OdtWalker:
    """Walks ODF text elements in document order, yielding text lines."""

    def __init__(self, root: Any) -> None:
        # list style name -> set of levels (1-based) that are numbered
        self._numbered: dict[str, set[int]] = {}
        for styles in root.iter(_OFFICE + "automatic-styles"):
            for list_style in styles.iter(_T + "list-style"):
                name = list_style.get(_STYLE + "name")
                levels = {
                    int(lvl.get(_T + "level", "1"))
                    for lvl in list_style.iter(_T + "list-level-style-number")
                    if lvl.get(_T + "level", "1").isdigit()
                }
                if name:
                    self._numbered[name] = levels
        self._counters: dict[tuple[str | None, int], int] = {}

    def blocks(self, element: Any, *, list_style: str | None, list_level: int) -> Iterator[str]:
        for child in element:
            tag = child.tag
            if tag in _ODT_SKIP:
                continue
            if tag in (_T + "p", _T + "h"):
                yield from self._paragraph(child, prefix="")
            elif tag == _T + "list":
                style = child.get(_T + "style-name") or list_style
                yield from self._list(child, list_style=style, list_level=list_level + 1)
            elif tag == _TABLE + "table":
                yield from self._table(child)
            else:  # sections, index bodies, unknown containers
                yield from self.blocks(child, list_style=list_style, list_level=list_level)

    def _paragraph(self, p: Any, *, prefix: str) -> Iterator[str]:
        frames: list[Any] = []
        text = "".join(self._inline(p, frames))
        yield (prefix + text.lstrip()) if prefix and text.strip() else text
        for box in frames:
            yield from self.blocks(box, list_style=None, list_level=0)

    def _inline(self, element: Any, frames: list[Any]) -> Iterator[str]:
        yield element.text or ""
        for child in element:
            tag = child.tag
            if tag == _T + "s":
                count = child.get(_T + "c", "1")
                yield " " * min(int(count) if count.isdigit() else 1, 100)
            elif tag == _T + "tab":
                yield "\t"
            elif tag == _T + "line-break":
                yield "\n"
            elif tag in _ODT_SKIP:
                pass
            elif tag == _DRAW + "frame":
                frames.extend(child.iter(_DRAW + "text-box"))
            else:  # span, a, meta, fields (date, page number ...)
                yield from self._inline(child, frames)
            yield child.tail or ""

    def _list(self, lst: Any, *, list_style: str | None, list_level: int) -> Iterator[str]:
        numbered = list_level in self._numbered.get(list_style or "", set())
        for item in lst:
            if item.tag not in (_T + "list-item", _T + "list-header"):
                continue
            first = item.tag == _T + "list-item"
            for child in item:
                if child.tag in (_T + "p", _T + "h"):
                    prefix = ""
                    if first:
                        prefix = self._number(list_style, list_level) if numbered else "• "
                        first = False
                    yield from self._paragraph(child, prefix=prefix)
                elif child.tag == _T + "list":
                    style = child.get(_T + "style-name") or list_style
                    yield from self._list(child, list_style=style, list_level=list_level + 1)
                else:
                    yield from self.blocks(child, list_style=list_style, list_level=list_level)

    def _number(self, list_style: str | None, level: int) -> str:
        key = (list_style, level)
        self._counters[key] = self._counters.get(key, 0) + 1
        return f"{self._counters[key]}. "

    def _table(self, table: Any) -> Iterator[str]:
        for row in _odt_rows(table):
            cells: list[list[str]] = []
            for cell in row:
                if cell.tag != _TABLE + "table-cell":
                    continue  # covered (merged) cells carry no own text
                lines = [
                    line
                    for line in self.blocks(cell, list_style=None, list_level=0)
                    if line.strip()
                ]
                if lines:
                    cells.append(lines)
            yield from _row_lines(cells)


def _odt_rows(table: Any) -> Iterator[Any]:
    """Rows of one table (not of tables nested in its cells), in order."""
    for child in table:
        if child.tag == _TABLE + "table-row":
            yield child
        elif child.tag in (_TABLE + "table-header-rows", _TABLE + "table-rows", _TABLE + "table-row-group"):
            yield from _odt_rows(child)


# =============================================================================
# PDF
# =============================================================================


_WINANSI_UNUSED_AS_BULLET = str.maketrans({c: "•" for c in "\x7f\x81\x8d\x8f\x90\x9d"})


def _read_pdf(data: bytes, *, max_chars: int, allow_ocr: bool) -> tuple[str, int, bool]:
    """(text, page count, OCR used) of a PDF, page texts separated by a blank line."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    # A complete PDF ends with %%EOF (allowing a little trailing junk). Without
    # it the download or copy was cut short; pypdf would silently rebuild what
    # it can and we would read half a CV without anyone noticing.
    if b"%%EOF" not in data[-4096:]:
        raise CVReadError("corrupt", "truncated PDF (no %%EOF at the end)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except Exception as exc:  # PdfReadError, PdfStreamError, EmptyFileError, ValueError ...
        raise CVReadError("corrupt", f"pypdf could not open the file ({type(exc).__name__})") from None

    if reader.is_encrypted:
        # Many PDFs are "encrypted" only with an owner password (no printing
        # etc.) and open with an empty user password; those we can read.
        try:
            opened = reader.decrypt("")
        except DependencyError:
            raise CVReadError("encrypted", "AES-encrypted PDF (cryptography not installed)") from None
        except Exception as exc:  # noqa: BLE001
            raise CVReadError("encrypted", f"decryption failed ({type(exc).__name__})") from None
        if not opened:  # PasswordType.NOT_DECRYPTED == 0
            raise CVReadError("encrypted", "user password required")

    try:
        pages = reader.pages
        page_count = len(pages)
        texts: list[str] = []
        total = 0
        for page in pages:
            page_text = page.extract_text() or ""
            texts.append(page_text)
            total += len(page_text)
            if total > 2 * max_chars + 10_000:  # enough to fill max_chars after tidying
                break
    except CVReadError:
        raise
    except Exception as exc:  # noqa: BLE001 — damaged page trees, streams, fonts
        raise CVReadError("corrupt", f"text extraction failed ({type(exc).__name__})") from None

    # PDF's WinAnsiEncoding draws every unused code above octal 40 as a bullet
    # (PDF 1.7, Annex D, note 5); reportlab writes "•" as 0x7F, which pypdf
    # passes through as a control character.
    text = "\n\n".join(texts).translate(_WINANSI_UNUSED_AS_BULLET)
    if _meaningful_chars(text) >= MIN_TEXT_CHARS:
        return text, page_count, False
    if allow_ocr and ocr_available():
        ocr_text = _ocr_pdf(reader)
        if _meaningful_chars(ocr_text) >= MIN_TEXT_CHARS:
            return ocr_text, page_count, True
    raise CVReadError("no_text", "no text layer (scanned PDF?)")


def _ocr_pdf(reader: Any) -> str:
    """Recognise the images of the first pages with Tesseract (Danish + English)."""
    langs = "dan+eng" if "eng" in ocr_languages() else "dan"
    page_texts = []
    for page in list(reader.pages)[:MAX_OCR_PAGES]:
        parts = []
        try:
            images = list(page.images)
        except Exception:  # noqa: BLE001 — undecodable image streams are skipped
            images = []
        for image in images:
            try:
                buffer = io.BytesIO()
                image.image.save(buffer, format="PNG")
            except Exception:  # noqa: BLE001
                continue
            parts.append(_ocr_image(buffer.getvalue(), langs))
        page_texts.append("\n".join(parts))
    return "\n\n".join(page_texts)


def _ocr_image(png: bytes, langs: str) -> str:
    """Text in one PNG image via ``tesseract stdin stdout`` ('' on any failure).

    The image is passed through a pipe, so no copy of the CV touches the disk.
    """
    exe = shutil.which("tesseract")
    if exe is None:
        return ""
    try:
        result = subprocess.run(
            [exe, "stdin", "stdout", "-l", langs],
            input=png,
            capture_output=True,
            timeout=OCR_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    if result.returncode != 0:
        return ""
    return result.stdout.decode("utf-8", errors="replace")
