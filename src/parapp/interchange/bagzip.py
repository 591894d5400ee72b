"""A BagIt 1.0 bag (RFC 8493) streamed into a zip, and a reader that never trusts one.

Writing: every payload file is copied into the zip in 1 MiB chunks while its SHA-256 is
computed (in a helper thread, so hashing overlaps the CRC and the disk I/O); memory stays flat
whatever the size of the evidence. Entries get fixed timestamps and permissions and come in a
fixed order, so the same input gives the same bytes.

Reading: the zip is a hostile input until proven otherwise. Names, types, sizes, counts and
compression ratios are checked from the central directory *before* a single byte of content
is read; contents are then streamed with their actual size counted against the declared one.
Every refusal carries its own reason ``code`` and a Vietnamese sentence naming the file.
The BagIt layer knows nothing of ParApp; :mod:`parapp.interchange.bundle` adds the meaning.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from parapp.models import errors

CHUNK = 1 << 20
BAGIT_TXT = "bagit.txt"
BAG_INFO_TXT = "bag-info.txt"
MANIFEST = "manifest-sha256.txt"
TAGMANIFEST = "tagmanifest-sha256.txt"
BAGIT_DECLARATION = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
REQUIRED_TAG_FILES = (BAGIT_TXT, BAG_INFO_TXT, MANIFEST)
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_WINDOWS_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?", re.IGNORECASE)
_BAD_CHARS = set('<>:"|?*') | {chr(c) for c in range(32)} | {"\x7f"}
_UNIX_FILE_ATTR = (stat.S_IFREG | 0o644) << 16
_ZIP_UTF8_FLAG = 0x800

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


class Cancelled(errors.Cancelled):
    """The user cancelled a long operation; nothing was left behind."""

    def __init__(self) -> None:
        super().__init__("Đã hủy thao tác. Không có tệp nào được tạo.")


@dataclass(frozen=True)
class Limits:
    """What a reader accepts. Defaults fit 200 units × hundreds of 50 MB scans, not more."""

    max_total_size: int = 20 << 30  # sum of declared uncompressed sizes
    max_entries: int = 100_000
    max_ratio: int = 200  # uncompressed / compressed, for entries above ratio_min_size
    ratio_min_size: int = 1 << 20
    max_tag_file_size: int = 16 << 20
    max_json_size: int = 64 << 20
    max_name_bytes: int = 1024
    max_nesting: int = 3  # bundles inside bundles inside bundles


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Check:
    """One verification step. ``code`` is ``"ok"`` or the specific reason of a refusal."""

    step: str
    name: str
    ok: bool
    code: str
    message_vi: str


class Refused(Exception):
    """Internal: a check failed. Turned into a failing :class:`Check` by the verifier."""

    def __init__(self, step: str, code: str, message: str) -> None:
        self.step, self.code, self.message = step, code, message
        super().__init__(f"{code}: {message}")


STEP_NAMES = {
    "file": "Đọc tệp",
    "zip": "Tệp nén",
    "bagit": "Cấu trúc hồ sơ",
    "signature": "Chữ ký số",
    "x509": "Chữ ký số của người có thẩm quyền (chứng thư số)",
    "key": "Khóa của đơn vị",
    "manifest": "Danh mục tài liệu",
    "payload": "Tài liệu không bị sửa đổi",
    "oxum": "Số lượng và dung lượng tài liệu",
    "assessment": "Nội dung bản tự đánh giá",
    "framework": "Bộ tiêu chí",
    "scores": "Điểm tự chấm (tính lại theo quy tắc)",
    "revision": "Lần nộp",
    "children": "Hồ sơ của đơn vị cấp dưới",
    "extract": "Giải nén",
}


def passed(step: str, message: str) -> Check:
    return Check(step, STEP_NAMES[step], True, "ok", message)


def failed(r: Refused) -> Check:
    return Check(r.step, STEP_NAMES.get(r.step, r.step), False, r.code, r.message)


# -- small helpers ----------------------------------------------------------------------------
class _PipelinedSha256:
    """SHA-256 of a stream of chunks, hashed in a helper thread one chunk behind the caller.

    ``hashlib`` and ``zlib.crc32`` release the GIL on large buffers, so hashing chunk *n*
    overlaps reading, CRC-ing and writing chunk *n+1*: about one pass over the data instead
    of two.
    """

    def __init__(self, pool: ThreadPoolExecutor) -> None:
        self._pool = pool
        self._h = hashlib.sha256()
        self._pending: Future[None] | None = None

    def update(self, chunk: bytes) -> None:
        if self._pending is not None:
            self._pending.result()
        self._pending = self._pool.submit(self._h.update, chunk)

    def hexdigest(self) -> str:
        if self._pending is not None:
            self._pending.result()
            self._pending = None
        return self._h.hexdigest()


def encode_manifest_path(path: str) -> str:
    """RFC 8493 §2.1.3: CR, LF and ``%`` in a manifest path are percent-encoded."""
    return path.replace("%", "%25").replace("\n", "%0A").replace("\r", "%0D")


def decode_manifest_path(path: str) -> str:
    return re.sub(
        r"%(0A|0D|25)",
        lambda m: {"0A": "\n", "0D": "\r", "25": "%"}[m.group(1).upper()],
        path,
        flags=re.IGNORECASE,
    )


def payload_oxum(total_bytes: int, count: int) -> str:
    return f"{total_bytes}.{count}"


def format_bag_info(fields: list[tuple[str, str]]) -> str:
    """``Label: value`` lines; newlines inside values are folded to spaces."""
    out = []
    for label, value in fields:
        clean_value = " ".join(str(value).split())
        out.append(f"{label}: {clean_value}\n")
    return "".join(out)


def parse_bag_info(text: str) -> list[tuple[str, str]]:
    """RFC 8493 §2.2.2: ``Label: value``; a line starting with whitespace continues a value."""
    fields: list[tuple[str, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if line[0] in " \t":
            if not fields:
                raise ValueError(number)
            label, value = fields[-1]
            fields[-1] = (label, f"{value} {line.strip()}")
            continue
        if ":" not in line:
            raise ValueError(number)
        label, value = line.split(":", 1)
        if not label.strip():
            raise ValueError(number)
        fields.append((label.strip(), value.strip()))
    return fields


# -- writer -----------------------------------------------------------------------------------
@dataclass
class _Entry:
    path: str  # relative to the bag folder
    sha256: str
    size: int


class BagZipWriter:
    """Writes one bag into an open, seekable binary file; see module docstring.

    Call :meth:`add_payload` for each payload file (path under ``data/``), then :meth:`finish`.
    """

    def __init__(
        self,
        fh: IO[bytes],
        bag_name: str,
        date_time: tuple[int, int, int, int, int, int],
        cancel: CancelFn | None = None,
    ) -> None:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,150}", bag_name):
            raise ValueError(bag_name)
        self.bag_name = bag_name
        self._zip = zipfile.ZipFile(fh, "w", allowZip64=True)
        self._date_time = date_time
        self._cancel = cancel
        self._payload: list[_Entry] = []
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bag-hash")

    def _info(self, rel: str, size: int, compress: bool) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(f"{self.bag_name}/{rel}", date_time=self._date_time)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.create_system = 3  # Unix, whatever the OS: same bytes everywhere
        info.external_attr = _UNIX_FILE_ATTR
        info.file_size = size  # lets zipfile choose zip64 headers up front for big files
        return info

    def _check_cancel(self) -> None:
        if self._cancel is not None and self._cancel():
            raise Cancelled()

    def add_payload(
        self,
        rel: str,
        src: IO[bytes] | bytes,
        *,
        size: int,
        compress: bool,
        expected_sha256: str | None = None,
        on_bytes: Callable[[int], None] | None = None,
    ) -> str:
        """Copy ``src`` into ``data/…``, hashing as it goes; return the SHA-256 (hex).

        With ``expected_sha256`` a mismatch raises ``ValueError`` (the caller names the file).
        """
        if not rel.startswith("data/"):
            raise ValueError(rel)
        stream: IO[bytes] = io.BytesIO(src) if isinstance(src, bytes) else src
        hasher = _PipelinedSha256(self._pool)
        written = 0
        with self._zip.open(
            self._info(rel, size, compress), "w", force_zip64=size > 1 << 31
        ) as out:
            while chunk := stream.read(CHUNK):
                self._check_cancel()
                hasher.update(chunk)
                out.write(chunk)
                written += len(chunk)
                if on_bytes is not None:
                    on_bytes(len(chunk))
        digest = hasher.hexdigest()
        if written != size:
            raise ValueError(f"size {written} != {size}")
        if expected_sha256 is not None and digest != expected_sha256:
            raise ValueError(f"sha256 {digest} != {expected_sha256}")
        self._payload.append(_Entry(rel, digest, written))
        return digest

    def _add_tag(self, rel: str, data: bytes) -> str:
        info = self._info(rel, len(data), compress=True)
        self._zip.writestr(info, data)
        return hashlib.sha256(data).hexdigest()

    def finish(
        self,
        bag_info: list[tuple[str, str]],
        sign_tagmanifest: Callable[[bytes], dict[str, bytes]] | None = None,
    ) -> None:
        """Write the tag files. ``Payload-Oxum`` is appended to ``bag_info`` here.

        ``sign_tagmanifest`` receives the tag manifest's bytes and returns extra tag files
        (e.g. its signature) to store next to it, outside the tag manifest by necessity.
        """
        self._check_cancel()
        oxum = payload_oxum(sum(e.size for e in self._payload), len(self._payload))
        info_text = format_bag_info([*bag_info, ("Payload-Oxum", oxum)])
        manifest = "".join(
            f"{e.sha256}  {encode_manifest_path(e.path)}\n"
            for e in sorted(self._payload, key=lambda e: e.path)
        )
        tag_hashes = {
            BAGIT_TXT: self._add_tag(BAGIT_TXT, BAGIT_DECLARATION.encode("utf-8")),
            BAG_INFO_TXT: self._add_tag(BAG_INFO_TXT, info_text.encode("utf-8")),
            MANIFEST: self._add_tag(MANIFEST, manifest.encode("utf-8")),
        }
        tagmanifest = "".join(f"{h}  {p}\n" for p, h in sorted(tag_hashes.items())).encode()
        self._add_tag(TAGMANIFEST, tagmanifest)
        if sign_tagmanifest is not None:
            for name, data in sorted(sign_tagmanifest(tagmanifest).items()):
                self._add_tag(name, data)
        self._zip.close()
        self._pool.shutdown()

    def abort(self) -> None:
        self._pool.shutdown(cancel_futures=True)
        with contextlib.suppress(Exception):  # the file is being discarded anyway
            self._zip.close()


# -- reader -----------------------------------------------------------------------------------
def _name_problem(name: str, limits: Limits) -> tuple[str, str] | None:
    """(code, Vietnamese reason) when a zip entry name is unsafe, else ``None``."""
    shown = name.encode("unicode_escape").decode("ascii")[:200]
    if len(name.encode("utf-8", "surrogatepass")) > limits.max_name_bytes:
        return "name_too_long", f"Tên tệp quá dài trong gói: “{shown[:80]}…”."
    if "\\" in name:
        return "backslash", f"Tên tệp chứa dấu gạch chéo ngược “\\”: “{shown}”."
    if name.startswith("/"):
        return "absolute_path", f"Tên tệp là đường dẫn tuyệt đối: “{shown}”."
    if re.match(r"[A-Za-z]:", name):
        return "drive_letter", f"Tên tệp chứa ký hiệu ổ đĩa: “{shown}”."
    segments = name.removesuffix("/").split("/")
    if ".." in segments:
        return "path_traversal", f"Tên tệp trỏ ra ngoài thư mục (“..”): “{shown}”."
    for seg in segments:
        if seg in ("", "."):
            return "bad_name", f"Tên tệp có đoạn rỗng hoặc “.”: “{shown}”."
        if any(ch in _BAD_CHARS for ch in seg):
            return "bad_name", f"Tên tệp chứa ký tự không được phép: “{shown}”."
        if seg.endswith((".", " ")) or _WINDOWS_RESERVED.fullmatch(seg):
            return "bad_name", f"Tên tệp không dùng được trên Windows: “{shown}”."
    return None


def _local_header_end(fp: IO[bytes], info: zipfile.ZipInfo) -> int:
    """Offset where an entry's data starts, read from its local header."""
    fp.seek(info.header_offset)
    header = fp.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise Refused("zip", "zip_corrupt", f"Tiêu đề của tệp “{info.filename}” trong zip bị hỏng.")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    return int(info.header_offset) + 30 + int(name_len) + int(extra_len)


@dataclass
class OpenedBag:
    """A zip whose directory passed every structural check. Contents are still untrusted."""

    zip: zipfile.ZipFile
    bag_name: str
    files: dict[str, zipfile.ZipInfo]  # path relative to the bag folder -> entry
    limits: Limits
    data_offsets: dict[str, int] = field(default_factory=dict)

    def close(self) -> None:
        self.zip.close()

    def read_small(self, rel: str, max_size: int, step: str = "bagit") -> bytes:
        """A whole (tag) file, refused above ``max_size``; size and CRC are checked."""
        info = self.files[rel]
        if info.file_size > max_size:
            raise Refused(step, "tag_too_large", f"Tệp “{rel}” lớn bất thường, không đọc.")
        chunks = list(self.iter_content(rel, step))
        return b"".join(chunks)

    def iter_content(self, rel: str, step: str = "payload") -> Iterator[bytes]:
        """Stream an entry in 1 MiB chunks, refusing if its actual size differs from declared."""
        info = self.files[rel]
        got = 0
        try:
            with self.zip.open(info) as fh:
                while chunk := fh.read(CHUNK):
                    got += len(chunk)
                    if got > info.file_size:
                        break
                    yield chunk
        except zipfile.BadZipFile as err:
            if "CRC" in str(err):
                raise Refused(
                    step, "crc_mismatch", f"Tệp “{rel}” bị hỏng (sai mã kiểm tra CRC)."
                ) from err
            raise Refused(step, "zip_corrupt", f"Tệp “{rel}” trong zip bị hỏng.") from err
        except (EOFError, OSError, ValueError, zlib.error, zipfile.LargeZipFile) as err:
            raise Refused(step, "zip_corrupt", f"Tệp “{rel}” trong zip bị hỏng.") from err
        if got != info.file_size:
            raise Refused(
                step,
                "size_mismatch",
                f"Dung lượng thật của tệp “{rel}” khác với dung lượng khai trong zip.",
            )

    def hash_file(
        self,
        rel: str,
        pool: ThreadPoolExecutor,
        on_bytes: Callable[[int], None] | None = None,
        sink: Callable[[bytes], object] | None = None,
    ) -> tuple[str, int]:
        """(SHA-256 hex, size) of an entry, streamed; ``sink`` also receives each chunk."""
        hasher = _PipelinedSha256(pool)
        size = 0
        for chunk in self.iter_content(rel):
            hasher.update(chunk)
            if sink is not None:
                sink(chunk)
            size += len(chunk)
            if on_bytes is not None:
                on_bytes(len(chunk))
        return hasher.hexdigest(), size


def open_bag(source: Path | IO[bytes], limits: Limits = DEFAULT_LIMITS) -> OpenedBag:
    """Open a zip and check its directory; raises :class:`Refused` (step ``zip``)."""
    try:
        zf = zipfile.ZipFile(source, "r")
    except zipfile.BadZipFile as err:
        raise Refused(
            "zip", "zip_corrupt", "Tệp không phải tệp zip hợp lệ hoặc đã bị cắt cụt."
        ) from err
    try:
        return _check_directory(zf, limits)
    except BaseException:
        zf.close()
        raise


def _check_directory(zf: zipfile.ZipFile, limits: Limits) -> OpenedBag:
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise Refused(
            "zip",
            "too_many_entries",
            f"Gói có {len(infos)} mục, vượt giới hạn {limits.max_entries}.",
        )
    if not infos:
        raise Refused("zip", "empty_zip", "Tệp zip không có nội dung.")
    seen: set[str] = set()
    folded: dict[str, str] = {}
    total = 0
    tops: set[str] = set()
    for info in infos:
        name = info.filename
        if not info.flag_bits & _ZIP_UTF8_FLAG and not name.isascii():
            raise Refused(
                "zip", "name_encoding", "Tên tệp trong zip không mã hóa UTF-8 (thiếu cờ UTF-8)."
            )
        problem = _name_problem(name, limits)
        if problem is not None:
            raise Refused("zip", *problem)
        if name in seen:
            raise Refused("zip", "duplicate_name", f"Tên tệp “{name}” xuất hiện hai lần trong zip.")
        seen.add(name)
        key = unicodedata.normalize("NFC", name).casefold()
        if key in folded:
            raise Refused(
                "zip",
                "name_collision",
                f"Hai tệp “{folded[key]}” và “{name}” trùng tên khi bỏ qua chữ hoa/thường "
                "hoặc cách viết dấu.",
            )
        folded[key] = name
        if info.flag_bits & 0x1:
            raise Refused("zip", "encrypted_entry", f"Tệp “{name}” trong zip bị mã hóa.")
        mode = info.external_attr >> 16
        if mode and stat.S_ISLNK(mode):
            raise Refused("zip", "symlink", f"Mục “{name}” là liên kết tượng trưng (symlink).")
        if mode and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)) and stat.S_IFMT(mode):
            raise Refused("zip", "special_file", f"Mục “{name}” không phải tệp thông thường.")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Refused(
                "zip",
                "unsupported_compression",
                f"Tệp “{name}” dùng kiểu nén không được hỗ trợ ({info.compress_type}).",
            )
        if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            raise Refused(
                "zip", "size_mismatch", f"Dung lượng khai báo của tệp “{name}” không nhất quán."
            )
        if info.file_size > limits.ratio_min_size and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise Refused(
                "zip",
                "compression_ratio",
                f"Tệp “{name}” có tỷ lệ nén bất thường (nghi là “bom zip”).",
            )
        total += info.file_size
        if total > limits.max_total_size:
            raise Refused(
                "zip",
                "total_size_limit",
                f"Tổng dung lượng sau giải nén vượt giới hạn {limits.max_total_size >> 30} GiB.",
            )
        tops.add(name.split("/", 1)[0] if "/" in name else "")
    if len(tops) != 1 or "" in tops:
        raise Refused(
            "zip",
            "outside_bag",
            "Gói phải chứa đúng một thư mục gốc; có tệp nằm ngoài thư mục hồ sơ.",
        )
    bag_name = tops.pop()
    files: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        rel = info.filename[len(bag_name) + 1 :]
        if info.is_dir():
            if info.file_size:
                raise Refused("zip", "zip_corrupt", f"Thư mục “{info.filename}” có dữ liệu.")
            continue
        if not rel:
            raise Refused("zip", "outside_bag", "Thư mục hồ sơ lại là một tệp.")
        files[rel] = info
    _check_overlaps(zf, files)
    return OpenedBag(zf, bag_name, files, limits)


def _check_overlaps(zf: zipfile.ZipFile, files: dict[str, zipfile.ZipInfo]) -> None:
    """Refuse entries whose data overlap (the "overlapping files" zip bomb)."""
    fp = zf.fp
    if fp is None:  # pragma: no cover - ZipFile opened for reading always has one
        raise Refused("zip", "zip_corrupt", "Không đọc được tệp zip.")
    spans = []
    for rel, info in files.items():
        start = _local_header_end(fp, info)
        spans.append((info.header_offset, start + info.compress_size, rel))
    spans.sort()
    for (_, end, rel), (next_start, _, next_rel) in itertools.pairwise(spans):
        if next_start < end:
            raise Refused(
                "zip",
                "overlapping_entries",
                f"Dữ liệu của tệp “{rel}” và “{next_rel}” chồng lên nhau (nghi là “bom zip”).",
            )


def read_tag_text(bag: OpenedBag, rel: str) -> str:
    """A tag file as text; refused when missing, too large or not UTF-8."""
    if rel not in bag.files:
        code = {BAGIT_TXT: "bagit_missing", BAG_INFO_TXT: "bag_info_missing"}.get(
            rel, "manifest_missing" if rel == MANIFEST else "tagmanifest_missing"
        )
        raise Refused("bagit", code, f"Thiếu tệp “{rel}” trong hồ sơ.")
    data = bag.read_small(rel, bag.limits.max_tag_file_size)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise Refused("bagit", "tag_not_utf8", f"Tệp “{rel}” không phải văn bản UTF-8.") from err
    return text.removeprefix("\ufeff") if rel != BAGIT_TXT else text


def parse_manifest(text: str, rel: str, step: str) -> dict[str, str]:
    """``{path: sha256}`` of a manifest; malformed lines, unsafe or repeated paths refused."""
    out: dict[str, str] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        parts = line.split(maxsplit=1)
        if len(parts) != 2 or not _SHA256_HEX.fullmatch(parts[0].lower()):
            raise Refused(step, "manifest_invalid", f"Dòng {number} của “{rel}” sai định dạng.")
        path = decode_manifest_path(parts[1])
        problem = _name_problem(path, DEFAULT_LIMITS)
        if problem is not None:
            raise Refused(step, problem[0], f"Trong “{rel}”, dòng {number}: {problem[1]}")
        if path in out:
            raise Refused(step, "manifest_invalid", f"“{rel}” liệt kê “{path}” hai lần.")
        out[path] = parts[0].lower()
    return out


@dataclass
class BagContents:
    """The tag files of a bag, read and checked (hashes of tag files verified)."""

    bag_info: list[tuple[str, str]]
    manifest: dict[str, str]
    tagmanifest: bytes
    payload_bytes: int = 0
    payload_count: int = 0


def check_tags(bag: OpenedBag, allowed_unlisted: frozenset[str]) -> BagContents:
    """bagit.txt, the tag manifest and the tag files it lists (step ``bagit``)."""
    declaration = read_tag_text(bag, BAGIT_TXT)
    fields = dict(parse_bag_info(declaration)) if ":" in declaration else {}
    version = fields.get("BagIt-Version")
    if version is None or fields.get("Tag-File-Character-Encoding", "").upper() != "UTF-8":
        raise Refused("bagit", "bagit_declaration_invalid", "Tệp “bagit.txt” sai nội dung.")
    if version != "1.0":
        raise Refused(
            "bagit",
            "bagit_version",
            f"Phiên bản BagIt “{version[:20]}” không được hỗ trợ (cần 1.0).",
        )
    for rel in bag.files:
        top = rel.split("/", 1)[0]
        if (
            "/" not in rel
            and re.fullmatch(r"(tag)?manifest-.+\.txt", rel)
            and rel not in (MANIFEST, TAGMANIFEST)
        ):
            raise Refused(
                "bagit", "unsupported_manifest", f"Hồ sơ có danh mục “{rel}” không được hỗ trợ."
            )
        if top != "data" and "/" in rel:
            raise Refused("bagit", "unlisted_tag_file", f"Thư mục lạ “{top}” trong hồ sơ.")
    tag_text = read_tag_text(bag, TAGMANIFEST)
    tagmanifest = parse_manifest(tag_text, TAGMANIFEST, "bagit")
    for rel in REQUIRED_TAG_FILES:
        if rel not in tagmanifest:
            raise Refused(
                "bagit", "tagmanifest_incomplete", f"“{TAGMANIFEST}” không liệt kê tệp “{rel}”."
            )
    for rel, expected in sorted(tagmanifest.items()):
        if rel.startswith("data/") or rel == TAGMANIFEST:
            raise Refused("bagit", "manifest_invalid", f"“{TAGMANIFEST}” liệt kê sai tệp “{rel}”.")
        if rel not in bag.files:
            raise Refused("bagit", "manifest_missing_file", f"Thiếu tệp “{rel}” trong hồ sơ.")
        data = bag.read_small(rel, bag.limits.max_tag_file_size)
        if hashlib.sha256(data).hexdigest() != expected:
            raise Refused(
                "bagit", "tag_hash_mismatch", f"Tệp “{rel}” đã bị thay đổi (sai mã băm SHA-256)."
            )
    for rel in bag.files:
        if rel.startswith("data/") or rel in tagmanifest or rel == TAGMANIFEST:
            continue
        if rel not in allowed_unlisted:
            raise Refused(
                "bagit",
                "unlisted_tag_file",
                f"Tệp “{rel}” không có trong danh mục, không tin được.",
            )
    try:
        bag_info = parse_bag_info(read_tag_text(bag, BAG_INFO_TXT))
    except ValueError as err:
        raise Refused(
            "bagit", "bag_info_invalid", f"Dòng {err} của “{BAG_INFO_TXT}” sai định dạng."
        ) from err
    manifest = parse_manifest(read_tag_text(bag, MANIFEST), MANIFEST, "manifest")
    return BagContents(bag_info, manifest, tag_text.encode("utf-8"))


def check_manifest(bag: OpenedBag, contents: BagContents) -> None:
    """Every listed file exists and every payload file is listed (step ``manifest``)."""
    for rel in contents.manifest:
        if not rel.startswith("data/"):
            raise Refused(
                "manifest", "manifest_invalid", f"“{MANIFEST}” liệt kê “{rel}” ngoài data/."
            )
        if rel not in bag.files:
            raise Refused(
                "manifest",
                "manifest_missing_file",
                f"“{MANIFEST}” liệt kê tệp “{rel}” nhưng hồ sơ không có tệp này.",
            )
    for rel in bag.files:
        if rel.startswith("data/") and rel not in contents.manifest:
            raise Refused(
                "manifest",
                "payload_not_in_manifest",
                f"Tệp “{rel}” có trong hồ sơ nhưng không có trong danh mục “{MANIFEST}”.",
            )


def check_payload(
    bag: OpenedBag,
    contents: BagContents,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> None:
    """Hash every payload file against the manifest (step ``payload``), streaming."""
    total = sum(bag.files[rel].file_size for rel in contents.manifest)
    done = 0

    def on_bytes(n: int) -> None:
        nonlocal done
        done += n
        if cancel is not None and cancel():
            raise Cancelled()
        if progress is not None:
            progress(done, total)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bag-verify") as pool:
        for rel in sorted(contents.manifest):
            digest, size = bag.hash_file(rel, pool, on_bytes)
            if digest != contents.manifest[rel]:
                raise Refused(
                    "payload",
                    "payload_hash_mismatch",
                    f"Tệp “{rel}” đã bị thay đổi hoặc hỏng (sai mã băm SHA-256).",
                )
            contents.payload_bytes += size
            contents.payload_count += 1


def check_oxum(contents: BagContents) -> None:
    """Payload-Oxum of bag-info equals what was actually read (step ``oxum``)."""
    declared = [v for k, v in contents.bag_info if k == "Payload-Oxum"]
    if len(declared) != 1:
        raise Refused("oxum", "oxum_missing", f"“{BAG_INFO_TXT}” thiếu trường Payload-Oxum.")
    actual = payload_oxum(contents.payload_bytes, contents.payload_count)
    if declared[0] != actual:
        raise Refused(
            "oxum",
            "oxum_mismatch",
            f"Payload-Oxum khai {declared[0][:40]} nhưng thực tế là {actual}.",
        )


class Window(io.RawIOBase):
    """A read-only, seekable view of ``length`` bytes of ``base`` from ``start``.

    Lets a bundle stored inside a bundle be opened as a zip without extracting it: each read
    seeks the shared base file first, so sharing it with the outer ``ZipFile`` is safe.
    """

    def __init__(self, base: IO[bytes], start: int, length: int) -> None:
        super().__init__()
        self._base, self._start, self._length, self._pos = base, start, length, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._length}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        n = min(len(buffer), self._length - self._pos)
        if n <= 0:
            return 0
        self._base.seek(self._start + self._pos)
        data = self._base.read(n)
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)


def entry_window(bag: OpenedBag, rel: str) -> io.BufferedReader | None:
    """A :class:`Window` on a STORED entry's bytes, or ``None`` when it is compressed."""
    info = bag.files[rel]
    fp = bag.zip.fp
    if info.compress_type != zipfile.ZIP_STORED or fp is None:
        return None
    start = _local_header_end(fp, info)
    return io.BufferedReader(Window(fp, start, info.file_size), buffer_size=CHUNK)
