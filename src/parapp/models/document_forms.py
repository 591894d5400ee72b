"""The wording rules of an administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I).

Who issues a document decides how its heading reads, which registry symbol it carries and
how its signer signs: a People's Committee is a collective body, so its chairman signs "TM.
ỦY BAN NHÂN DÂN / CHỦ TỊCH" and a vice-chairman "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ
CHỦ TỊCH"; a department is led by its director, whose deputy signs "KT. GIÁM ĐỐC / PHÓ GIÁM
ĐỐC"; someone else signs "TL." (by order of) the head. A chairman reading a paper that gets
these wrong retypes it, so they live here, pure and tested, shared by the PDF and the .docx.
"""

from __future__ import annotations

import datetime
import enum

from parapp.models.errors import ParAppError
from parapp.models.text import fold, nfc
from parapp.models.units import Unit, UnitLevel

#: Vietnam keeps UTC+7 all year (no daylight saving since 1975): Asia/Ho_Chi_Minh as a
#: fixed offset, so the printed time never depends on the tz database of the PC.
VN_TZ = datetime.timezone(datetime.timedelta(hours=7), "Asia/Ho_Chi_Minh")

#: The blank date line an official fills in by hand after signing.
BLANK_DATE = "ngày …… tháng …… năm ……"

NBSP = "\u00a0"

AUTHORITY_PREFIXES = ("TM.", "KT.", "TL.", "TUQ.", "Q.")


class IssuerKind(enum.StrEnum):
    """How a unit issues documents, which fixes heading, symbol and signature forms."""

    #: A commune, ward or province People's Committee issuing its own document.
    COMMITTEE = "committee"
    #: A specialised agency (Sở Nội vụ) issuing in its own name, under its committee.
    DEPARTMENT = "department"
    #: An office (Văn phòng UBND) signing for its committee's chairman: "TL. CHỦ TỊCH".
    OFFICE = "office"


def issuer_kind(unit: Unit) -> IssuerKind:
    """An agency (Sở Nội vụ) issues in its own name; any other unit is a People's Committee."""
    return IssuerKind.DEPARTMENT if unit.level is UnitLevel.AGENCY else IssuerKind.COMMITTEE


def upper(text: str) -> str:
    """Capitals the way Vietnamese officials write them (NFC, "Đ" kept)."""
    return nfc(text).upper()


def period_words(period: str) -> str:
    """A period inside a sentence: "2026" -> "năm 2026", "Năm 2026" -> "năm 2026"."""
    text = " ".join(nfc(period).split())
    return f"năm {text}" if text.isdigit() else text.lower()


def lower_first(text: str) -> str:
    """``"Phường Điện Bàn"`` -> ``"phường Điện Bàn"``: a unit kind inside a sentence."""
    text = nfc(text)
    return text[:1].lower() + text[1:]


def issuer_lines(kind: IssuerKind, name: str, parent: str = "") -> tuple[str, str]:
    """(governing body, issuer) of the top-left heading; the issuer may hold a line break.

    A committee's own document: no body above, the name in full on two lines ("ỦY BAN NHÂN
    DÂN" / "PHƯỜNG ĐIỆN BÀN"). A department: "UBND THÀNH PHỐ ĐÀ NẴNG" above "SỞ NỘI VỤ".
    An office signing for its committee: the committee's heading.
    """
    if kind is IssuerKind.DEPARTMENT:
        return (f"UBND {upper(parent)}" if nfc(parent) else "", upper(name))
    return ("", f"ỦY BAN NHÂN DÂN\n{upper(name)}")


def issuer_in_text(kind: IssuerKind, name: str) -> str:
    """The issuer as the subject of the body: "Ủy ban nhân dân phường Điện Bàn báo cáo…"."""
    if kind is IssuerKind.DEPARTMENT:
        return nfc(name)
    return f"Ủy ban nhân dân {lower_first(name)}"


def abbreviation(name: str) -> str:
    """Initials of an agency for its registry symbol: "Sở Nội vụ" -> "SNV"."""
    return "".join(w[0] for w in upper(name).split() if w[0].isalpha())


def issuer_symbol(kind: IssuerKind, name: str) -> str:
    """The issuer part of a registry symbol: "UBND" for a committee, initials otherwise."""
    return abbreviation(name) if kind is IssuerKind.DEPARTMENT else "UBND"


def number_line(doc_number: str, doc_type: str, issuer_code: str) -> str:
    """ "Số: 12/BC-UBND"; a bare number gets the symbol appended; nothing set leaves a gap
    for the registry clerk ("Số:       /BC-UBND")."""
    symbol = f"{doc_type}-{issuer_code}" if issuer_code else doc_type
    number = nfc(doc_number).strip()
    if not number:
        return f"Số:{NBSP * 12}/{symbol}"
    if "/" not in number:
        number = f"{number}/{symbol}"
    return f"Số: {number}"


def date_words(place: str, value: datetime.date | None) -> str:
    """ "Điện Bàn, ngày 05 tháng 02 năm 2026": Nghị định 30 pads days below 10 and the
    months 1 and 2 with a zero (so nobody can add a digit), and no other month. Without a
    date the line is left for handwriting: "Điện Bàn, ngày …… tháng …… năm ……"."""
    if value is None:
        return f"{nfc(place)}, {BLANK_DATE}" if nfc(place) else "N" + BLANK_DATE[1:]
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    head = f"{nfc(place)}, ngày" if nfc(place) else "Ngày"
    return f"{head} {value.day:02d} tháng {month} năm {value.year}"


def local_time_words(moment: str | datetime.datetime) -> str:
    """An ISO instant as officials write it, in Vietnam's time: "14 giờ 05, ngày 02/12/2026".

    A naive value is taken as UTC (the workspace stores UTC); text that is not a date is
    printed as given rather than failing the whole document.
    """
    if isinstance(moment, str):
        try:
            value = datetime.datetime.fromisoformat(moment.strip().replace("Z", "+00:00"))
        except ValueError:
            return nfc(moment)
    else:
        value = moment
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    local = value.astimezone(VN_TZ)
    return f"{local.hour:02d} giờ {local.minute:02d}, ngày {local:%d/%m/%Y}"


def _strip_body(position: str) -> str:
    """ "Chủ tịch UBND phường" -> "Chủ tịch": the body is already in "TM. ỦY BAN NHÂN DÂN"."""
    text = " ".join(nfc(position).split())
    folded = fold(text)
    for marker in (" ubnd", " uy ban nhan dan"):
        at = folded.find(marker)
        if at > 0:
            return text[:at].strip()
    return text


def authority_lines(kind: IssuerKind, position: str, head: str = "") -> tuple[str, ...]:
    """The lines above a signature (Nghị định 30, Phụ lục I, mục II.8), from the position.

    - an explicit form ("TL. CHỦ TỊCH / CHÁNH VĂN PHÒNG", "TUQ. GIÁM ĐỐC / TRƯỞNG PHÒNG")
      is printed as given, one line per "/";
    - a committee: Chủ tịch -> TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH; Phó Chủ tịch -> TM. ỦY BAN
      NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH; anyone else -> TL. CHỦ TỊCH / position;
    - a department led by ``head`` (default Giám đốc): the head signs alone, a deputy
      ("Phó …") signs KT., anyone else TL.;
    - an office for its committee: TL. CHỦ TỊCH / position (Chánh Văn phòng by default).
    """
    raw = " ".join(nfc(position).split())
    if raw.upper().startswith(AUTHORITY_PREFIXES):
        return tuple(upper(part.strip()) for part in raw.split("/") if part.strip())
    pos = _strip_body(raw)
    if kind is IssuerKind.COMMITTEE:
        if not pos or fold(pos) == "chu tich":
            return ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
        if fold(pos).startswith("pho chu tich"):
            return ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
        return ("TL. CHỦ TỊCH", upper(pos))
    if kind is IssuerKind.OFFICE:
        return ("TL. CHỦ TỊCH", upper(pos or "Chánh Văn phòng"))
    head_title = upper(head or "Giám đốc")
    if not pos or upper(pos) == head_title:
        return (head_title,)
    if fold(pos).startswith("pho "):
        return (f"KT. {head_title}", upper(pos))
    return (f"TL. {head_title}", upper(pos))


def parse_document_date(text: str, today: datetime.date | None = None) -> datetime.date | None:
    """A document date as an officer types it: "02/12/2026", "2/12/2026", "2026-12-02",
    "hôm nay"; empty text means "leave blank for handwriting" (None)."""
    value = nfc(text).strip()
    if not value:
        return None
    if fold(value) in ("hom nay", "today"):
        return today or datetime.date.today()
    try:
        if "/" in value:
            day, month, year = (int(part) for part in value.split("/"))
            return datetime.date(year, month, day)
        return datetime.date.fromisoformat(value)
    except ValueError as err:
        raise ParAppError(
            f"Ngày “{value}” không hợp lệ: hãy ghi theo dạng ngày/tháng/năm, ví dụ 02/12/2026."
        ) from err
