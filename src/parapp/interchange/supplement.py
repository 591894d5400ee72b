"""Supplement bundles: a signed revision that leaves out evidence the receiver already holds.

A unit answering its parent's requests sends the next revision; most of its evidence files
went up with the revision the parent appraised. The supplement is the complete signed bag of
the new revision (same tag files, same signature, same manifest listing every payload file)
with those files left out and listed in a BagIt ``fetch.txt``::

    parapp-revision:1 48213 data/evidence/<sha256>.pdf

``fetch.txt`` is outside the tag manifest, hence outside the signature: it is only a hint
where each absent file is found. The receiver copies the listed files from the earlier
bundle it holds and drops ``fetch.txt``; the result is byte for byte the complete bag the
unit signed, which ``bagit`` and ``minisign`` verify like any other. A wrong hint (or a
changed file) cannot pass: the signed manifest fixes every file's SHA-256.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from parapp.fileio import atomic_write
from parapp.interchange.bagzip import CHUNK, Refused, open_bag, parse_bag_info
from parapp.models.errors import ParAppError

FETCH_FILE = "fetch.txt"
FETCH_SCHEME = "parapp-revision:"
MAX_FETCH_BYTES = 1 << 20
MAX_ENTRIES = 20000
MAX_BAG_INFO = 1 << 16
_EVIDENCE = re.compile(r"data/evidence/([0-9a-f]{64})(\.[A-Za-z0-9]{1,10})?")
_LINE = re.compile(rf"{FETCH_SCHEME}(\d{{1,6}}) (\d{{1,15}}) (\S+)")


@dataclass(frozen=True)
class FetchList:
    """What a supplement leaves out: the revision holding the files, and each file."""

    base_revision: int
    files: tuple[tuple[str, int], ...]  # (path in the bag, size)


def _bag_name(zf: zipfile.ZipFile) -> str:
    infos = zf.infolist()
    if not infos or len(infos) > MAX_ENTRIES:
        raise ParAppError("Tệp hồ sơ bổ sung rỗng hoặc có quá nhiều mục.")
    tops = {i.filename.split("/", 1)[0] for i in infos}
    if len(tops) != 1:
        raise ParAppError("Tệp hồ sơ bổ sung phải có đúng một thư mục gốc.")
    return tops.pop()


def _copy_entry(
    src: zipfile.ZipFile, info: zipfile.ZipInfo, dst: zipfile.ZipFile, name: str
) -> None:
    out = zipfile.ZipInfo(name, date_time=info.date_time)
    out.compress_type = info.compress_type
    out.create_system = info.create_system
    out.external_attr = info.external_attr
    out.file_size = info.file_size
    with src.open(info) as r, dst.open(out, "w", force_zip64=info.file_size > 1 << 31) as w:
        shutil.copyfileobj(r, w, CHUNK)


def derive_supplement(full: Path, out: Path, held: Iterable[str], base_revision: int) -> list[str]:
    """Write ``out``: the signed bundle ``full`` without the evidence files whose SHA-256 is in
    ``held`` (the receiver has them in revision ``base_revision``). Returns the paths left out.
    """
    held = set(held)
    omitted: list[tuple[str, int]] = []
    with zipfile.ZipFile(full) as src:
        bag = _bag_name(src)
        with atomic_write(out) as fh, zipfile.ZipFile(fh, "w", allowZip64=True) as dst:
            for info in src.infolist():
                rel = info.filename[len(bag) + 1 :]
                m = _EVIDENCE.fullmatch(rel)
                if m and m.group(1) in held:
                    omitted.append((rel, info.file_size))
                    continue
                _copy_entry(src, info, dst, info.filename)
            lines = "".join(
                f"{FETCH_SCHEME}{base_revision} {size} {rel}\n" for rel, size in omitted
            )
            fetch = zipfile.ZipInfo(f"{bag}/{FETCH_FILE}", date_time=src.infolist()[0].date_time)
            fetch.compress_type = zipfile.ZIP_DEFLATED
            fetch.create_system = 3
            fetch.external_attr = 0o100644 << 16
            dst.writestr(fetch, lines.encode("ascii"))
    return [rel for rel, _size in omitted]


def read_supplement(path: Path) -> tuple[FetchList, dict[str, str]] | None:
    """The fetch list and the (unverified) ``bag-info.txt`` fields of a supplement; ``None``
    for an ordinary bundle. The zip's directory passes the same structural checks as any
    bundle first (names, sizes, compression ratio); the caller verifies the rebuilt bag."""
    try:
        bag = open_bag(Path(path))
    except Refused as err:
        raise ParAppError(f"Tệp hồ sơ “{Path(path).name}” bị từ chối: {err.message}") from None
    try:
        if FETCH_FILE not in bag.files or "bag-info.txt" not in bag.files:
            return None
        fetch_text = bag.read_small(FETCH_FILE, MAX_FETCH_BYTES).decode("ascii")
        info_text = bag.read_small("bag-info.txt", MAX_BAG_INFO).decode("utf-8")
    except Refused as err:
        raise ParAppError(f"Hồ sơ bổ sung “{Path(path).name}”: {err.message}") from None
    except UnicodeDecodeError:
        raise ParAppError(f"Hồ sơ bổ sung “{Path(path).name}” sai mã ký tự.") from None
    finally:
        bag.close()
    revisions, files = set(), []
    for n, line in enumerate(fetch_text.splitlines(), start=1):
        m = _LINE.fullmatch(line)
        if m is None or not _EVIDENCE.fullmatch(m.group(3)):
            raise ParAppError(f"Dòng {n} của {FETCH_FILE} trong hồ sơ bổ sung không hợp lệ.")
        revisions.add(int(m.group(1)))
        files.append((m.group(3), int(m.group(2))))
    if len(revisions) > 1 or len(files) > MAX_ENTRIES:
        raise ParAppError(f"{FETCH_FILE} của hồ sơ bổ sung phải trỏ tới đúng một lần nộp trước.")
    try:
        fields = dict(parse_bag_info(info_text))
    except ValueError:
        raise ParAppError("bag-info.txt của hồ sơ bổ sung không hợp lệ.") from None
    base = revisions.pop() if revisions else 0
    return FetchList(base, tuple(files)), fields


def reassemble(supplement: Path, base: Path, out: Path, fetch: FetchList) -> None:
    """Write ``out``: the supplement with ``fetch.txt`` dropped and every listed file copied
    from the earlier bundle ``base`` (which must hold it, with the listed size)."""
    with zipfile.ZipFile(supplement) as sup, zipfile.ZipFile(base) as old:
        bag, old_bag = _bag_name(sup), _bag_name(old)
        with atomic_write(out) as fh, zipfile.ZipFile(fh, "w", allowZip64=True) as dst:
            for info in sup.infolist():
                if info.filename != f"{bag}/{FETCH_FILE}":
                    _copy_entry(sup, info, dst, info.filename)
            for rel, size in fetch.files:
                try:
                    info = old.getinfo(f"{old_bag}/{rel}")
                except KeyError:
                    raise ParAppError(
                        f"Hồ sơ lần {fetch.base_revision} đã nhận không có tài liệu “{rel}” mà "
                        "hồ sơ bổ sung dẫn chiếu; hãy đề nghị đơn vị gửi hồ sơ đầy đủ."
                    ) from None
                if info.file_size != size:
                    raise ParAppError(f"Tài liệu “{rel}” khác dung lượng với hồ sơ bổ sung.")
                _copy_entry(old, info, dst, f"{bag}/{rel}")
