"""Builders of real bundles, good and hostile, for the bundle tests and the benchmark.

A hostile bundle is built from a good one by re-zipping its entries with one defect. Many
defects must sit *behind* a valid signature to reach the check under test, so :func:`reseal`
recomputes the manifests and signs again, exactly as an attacker holding the key (or a buggy
program) would.
"""

from __future__ import annotations

import hashlib
import os
import stat
import struct
import unicodedata
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parapp.interchange import keys
from parapp.interchange.bundle import (
    BundleInfo,
    EvidenceFile,
    Limits,
    make_assessment_doc,
    write_bundle,
)
from parapp.interchange.minisign import parse_signature, sign
from parapp.models.assessment import Answer, EvidenceLink
from parapp.models.framework import Criterion, Framework
from parapp.models.scoring import RuleKind, ScoringRule

SIG = "tagmanifest-sha256.txt.minisig"


def fast_keypair() -> keys.KeyPair:
    return keys.generate_keypair()


def sample_framework() -> Framework:
    return Framework(
        id="par-2024",
        name="Chỉ số CCHC cấp xã 2024",
        year=2024,
        criteria=(
            Criterion("1", "Công tác chỉ đạo, điều hành", 3.0, order=1),
            Criterion("1.1", "Kế hoạch CCHC năm", 1.0, "1", order=2),
            Criterion("1.2", "Báo cáo CCHC định kỳ", 2.0, "1", order=3),
            Criterion("2", "Cải cách thủ tục hành chính", 2.0, order=4),
            Criterion(
                "2.1",
                "Mức độ hài lòng của người dân",
                2.0,
                "2",
                order=5,
                rule=ScoringRule(kind=RuleKind.SURVEY),
            ),
        ),
    )


@dataclass
class Sample:
    path: Path
    keypair: keys.KeyPair
    info: BundleInfo
    doc: dict[str, Any]
    evidence: list[EvidenceFile]
    framework: Framework
    evidence_bytes: dict[str, bytes] = field(default_factory=dict)


def sample_info(framework: Framework, revision: int = 1, unit_code: str = "20333") -> BundleInfo:
    return BundleInfo(
        unit_code=unit_code,
        unit_name="UBND xã Điện Hòa",
        unit_level="commune",
        parent_unit="503",
        framework_id=framework.id,
        framework_hash=framework.content_hash,
        period="2024",
        revision=revision,
        created_at="2025-01-15T08:30:00Z",
        app_version="0.1.0",
        approver="Nguyễn Văn Bình",
        approver_position="Chủ tịch UBND xã",
    )


def make_sample(
    folder: Path,
    keypair: keys.KeyPair | None = None,
    name: str = "bundle.zip",
    unit_code: str = "20333",
    children: list[tuple[str, Path]] | None = None,
    children_doc: list[dict[str, str]] | None = None,
) -> Sample:
    """A good bundle with three evidence files (a PDF, a JPEG, a text file) and 2 answers."""
    folder.mkdir(parents=True, exist_ok=True)
    kp = keypair or fast_keypair()
    fw = sample_framework()
    contents = {
        "Kế hoạch CCHC 2024.pdf": b"%PDF-1.4 " + os.urandom(300_000),
        "anh chup.JPG": b"\xff\xd8\xff" + os.urandom(70_000),
        "ghi chú.txt": "Biên bản họp ngày 10/12/2024\n".encode() * 500,
    }
    evidence = []
    links = []
    for original, data in contents.items():
        digest = hashlib.sha256(data).hexdigest()
        src = folder / f"store-{digest}"
        src.write_bytes(data)
        evidence.append(EvidenceFile(digest, len(data), src, original))
        links.append(EvidenceLink(digest, original, len(data), ref="Số 12/KH-UBND"))
    answers = [
        Answer("1.1", self_score=1.0, explanation="Đã ban hành kế hoạch.", evidence=(links[0],)),
        Answer("1.2", self_score=1.5, explanation="Báo cáo đủ 4 quý.", evidence=tuple(links[1:])),
    ]
    info = sample_info(fw, unit_code=unit_code)
    doc = make_assessment_doc(info, fw, answers, children=children_doc)
    out = folder / name
    write_bundle(out, info, doc, evidence, kp, children=children)
    return Sample(
        out, kp, info, doc, evidence, fw, {e.sha256: contents[e.original_name] for e in evidence}
    )


# -- zip surgery ------------------------------------------------------------------------------
def read_entries(path: Path) -> tuple[str, dict[str, bytes]]:
    """(bag name, {path in bag: bytes}) of a good bundle, in zip order."""
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        bag = names[0].split("/", 1)[0]
        return bag, {n[len(bag) + 1 :]: zf.read(n) for n in names}


@dataclass
class Raw:
    name: str  # full name in the zip
    data: bytes
    compress: int = zipfile.ZIP_STORED
    mode: int = stat.S_IFREG | 0o644


def write_raw(path: Path, entries: list[Raw]) -> Path:
    """Write entries exactly as given (duplicates and odd names included)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        with zipfile.ZipFile(path, "w") as zf:
            for e in entries:
                info = zipfile.ZipInfo(e.name, date_time=(2025, 1, 15, 8, 30, 0))
                info.compress_type = e.compress
                info.create_system = 3
                info.external_attr = e.mode << 16
                zf.writestr(info, e.data)
    return path


def write_bag(path: Path, bag: str, files: dict[str, bytes], **compress: int) -> Path:
    """Re-zip a bag's files (a dict as returned by :func:`read_entries`)."""
    return write_raw(
        path,
        [
            Raw(f"{bag}/{rel}", data, compress.get(rel, zipfile.ZIP_DEFLATED))
            for rel, data in files.items()
        ],
    )


def _manifest(files: dict[str, bytes], names: list[str]) -> bytes:
    return "".join(f"{hashlib.sha256(files[n]).hexdigest()}  {n}\n" for n in sorted(names)).encode()


def reseal(
    files: dict[str, bytes],
    kp: keys.KeyPair,
    *,
    manifest: bool = True,
    oxum: bool = True,
    trusted_comment: str | None = None,
) -> dict[str, bytes]:
    """Recompute manifest (from data/…), Payload-Oxum, tag manifest and signature."""
    files = dict(files)
    payload = [n for n in files if n.startswith("data/")]
    if manifest:
        files["manifest-sha256.txt"] = _manifest(files, payload)
    if oxum:
        lines = files["bag-info.txt"].decode().splitlines()
        total = sum(len(files[n]) for n in payload)
        lines = [
            f"Payload-Oxum: {total}.{len(payload)}" if ln.startswith("Payload-Oxum:") else ln
            for ln in lines
        ]
        files["bag-info.txt"] = ("\n".join(lines) + "\n").encode()
    tags = ["bagit.txt", "bag-info.txt", "manifest-sha256.txt"]
    files["tagmanifest-sha256.txt"] = _manifest(files, tags)
    comment = trusted_comment or parse_signature(files[SIG].decode()).trusted_comment
    files[SIG] = sign(files["tagmanifest-sha256.txt"], kp, comment).encode()
    return files


def set_info(files: dict[str, bytes], label: str, value: str | None) -> dict[str, bytes]:
    """Change (or drop with ``None``) one bag-info field."""
    lines = []
    for ln in files["bag-info.txt"].decode().splitlines():
        if ln.startswith(f"{label}:"):
            if value is None:
                continue
            ln = f"{label}: {value}"
        lines.append(ln)
    return {**files, "bag-info.txt": ("\n".join(lines) + "\n").encode()}


def patch_central(path: Path, name: str, **values: int) -> None:
    """Overwrite fields of one central-directory record (no zip64 in test files).

    Field names: ``flags``, ``method``, ``crc``, ``csize``, ``usize``, ``attr``, ``offset``.
    """
    offsets = {
        "flags": (8, "<H"),
        "method": (10, "<H"),
        "crc": (16, "<I"),
        "csize": (20, "<I"),
        "usize": (24, "<I"),
        "attr": (38, "<I"),
        "offset": (42, "<I"),
    }
    data = bytearray(path.read_bytes())
    eocd = data.rfind(b"PK\x05\x06")
    pos = struct.unpack_from("<I", data, eocd + 16)[0]
    target = name.encode("utf-8")
    while data[pos : pos + 4] == b"PK\x01\x02":
        nlen, xlen, clen = struct.unpack_from("<HHH", data, pos + 28)
        if bytes(data[pos + 46 : pos + 46 + nlen]) == target:
            for field_name, value in values.items():
                off, fmt = offsets[field_name]
                struct.pack_into(fmt, data, pos + off, value)
            path.write_bytes(bytes(data))
            return
        pos += 46 + nlen + xlen + clen
    raise LookupError(name)


def central_value(path: Path, name: str, field_name: str) -> int:
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(name)
    return {"offset": info.header_offset, "crc": info.CRC, "usize": info.file_size}[field_name]


# -- the catalogue ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Hostile:
    """A hostile bundle: ``build(sample, out)`` writes it; verifying must give ``code``."""

    id: str
    code: str
    build: Callable[[Sample, Path], Path]
    limits: Limits | None = None
    expect_key: bool = False
    known_hashes: frozenset[str] | None = None


def _first_evidence(files: dict[str, bytes], suffix: str) -> str:
    return next(n for n in files if n.startswith("data/evidence/") and n.endswith(suffix))


def _entries_plus(s: Sample, out: Path, extra: list[Raw]) -> Path:
    bag, files = read_entries(s.path)
    raws = [Raw(f"{bag}/{n}", d, zipfile.ZIP_DEFLATED) for n, d in files.items()]
    return write_raw(out, raws + extra)


def _bag(s: Sample) -> str:
    return read_entries(s.path)[0]


def _with_files(
    fn: Callable[[dict[str, bytes], Sample], dict[str, bytes]],
) -> Callable[[Sample, Path], Path]:
    def build(s: Sample, out: Path) -> Path:
        bag, files = read_entries(s.path)
        return write_bag(out, bag, fn(files, s))

    return build


def _resealed(
    fn: Callable[[dict[str, bytes], Sample], dict[str, bytes]], **kw: Any
) -> Callable[[dict[str, bytes], Sample], dict[str, bytes]]:
    return lambda files, s: reseal(fn(files, s), s.keypair, **kw)


def _doc_change(change: Callable[[dict[str, Any]], None]) -> Callable[[Sample, Path], Path]:
    import json

    def fn(files: dict[str, bytes], s: Sample) -> dict[str, bytes]:
        doc = json.loads(files["data/assessment.json"])
        change(doc)
        return reseal({**files, "data/assessment.json": json.dumps(doc).encode()}, s.keypair)

    return _with_files(fn)


def _flip_byte_in_stored(s: Sample, out: Path) -> Path:
    bag, files = read_entries(s.path)
    pdf = _first_evidence(files, ".pdf")
    write_bag(out, bag, files, **{pdf: zipfile.ZIP_STORED})
    with zipfile.ZipFile(out) as zf:
        info = zf.getinfo(f"{bag}/{pdf}")
    data = bytearray(out.read_bytes())
    data[info.header_offset + 30 + len(info.filename.encode()) + 1000] ^= 0xFF
    out.write_bytes(bytes(data))
    return out


def _size_lie(s: Sample, out: Path) -> Path:
    bag, files = read_entries(s.path)
    txt = _first_evidence(files, ".txt")
    write_bag(out, bag, files)
    patch_central(out, f"{bag}/{txt}", usize=len(files[txt]) + 5000)
    return out


def _stored_size_lie(s: Sample, out: Path) -> Path:
    bag, files = read_entries(s.path)
    pdf = _first_evidence(files, ".pdf")
    write_bag(out, bag, files, **{pdf: zipfile.ZIP_STORED})
    patch_central(out, f"{bag}/{pdf}", usize=10)
    return out


def _encrypted(s: Sample, out: Path) -> Path:
    bag, files = read_entries(s.path)
    write_bag(out, bag, files)
    patch_central(out, f"{bag}/data/assessment.json", flags=0x1)
    return out


def _symlink(s: Sample, out: Path) -> Path:
    return _entries_plus(
        s, out, [Raw(f"{_bag(s)}/data/evidence/link", b"/etc/passwd", mode=stat.S_IFLNK | 0o777)]
    )


def _fifo(s: Sample, out: Path) -> Path:
    return _entries_plus(
        s, out, [Raw(f"{_bag(s)}/data/evidence/pipe", b"", mode=stat.S_IFIFO | 0o644)]
    )


def _overlap(s: Sample, out: Path) -> Path:
    bag, files = read_entries(s.path)
    write_bag(out, bag, files)
    pdf = _first_evidence(files, ".pdf")
    jpg = _first_evidence(files, ".jpg")
    patch_central(out, f"{bag}/{jpg}", offset=central_value(out, f"{bag}/{pdf}", "offset"))
    return out


def _no_utf8_flag(s: Sample, out: Path) -> Path:
    _entries_plus(s, out, [Raw(f"{_bag(s)}/data/tài liệu.txt", b"x")])
    patch_central(out, f"{_bag(s)}/data/tài liệu.txt", flags=0)
    return out


def _bomb(s: Sample, out: Path) -> Path:
    bag, files = read_entries(s.path)
    files["data/evidence/bomb.txt"] = bytes(20 << 20)
    return write_bag(out, bag, reseal(files, s.keypair))


def _lzma(s: Sample, out: Path) -> Path:
    bag, files = read_entries(s.path)
    write_raw(out, [Raw(f"{bag}/{n}", d, zipfile.ZIP_LZMA) for n, d in files.items()])
    return out


def _truncated(s: Sample, out: Path) -> Path:
    data = s.path.read_bytes()
    out.write_bytes(data[: len(data) // 2])
    return out


def _foreign_signature(s: Sample, out: Path) -> Path:
    """The signature of another bundle by the same key: a signature over another manifest."""
    other = make_sample(out.parent / "other", keypair=s.keypair, unit_code=s.info.unit_code)
    bag, files = read_entries(s.path)
    files[SIG] = read_entries(other.path)[1][SIG]
    return write_bag(out, bag, files)


def _other_key_same_info(s: Sample, out: Path) -> Path:
    bag, files = read_entries(s.path)
    return write_bag(out, bag, reseal(files, fast_keypair()))


def _other_key_everywhere(s: Sample, out: Path) -> Path:
    bag, files = read_entries(s.path)
    thief = fast_keypair()
    files = set_info(files, "ParApp-Public-Key", keys.public_key_to_base64(thief.public))
    return write_bag(out, bag, reseal(files, thief))


def _edit_trusted_comment(s: Sample, out: Path) -> Path:
    bag, files = read_entries(s.path)
    lines = files[SIG].decode().split("\n")
    lines[2] = lines[2].replace("r1", "r9")
    files[SIG] = "\n".join(lines).encode()
    return write_bag(out, bag, files)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _plain(s: Sample, out: Path) -> Path:
    bag, files = read_entries(s.path)
    return write_bag(out, bag, files)


def _raw_name(name: str) -> Callable[[Sample, Path], Path]:
    return lambda s, out: _entries_plus(s, out, [Raw(name.format(bag=_bag(s)), b"evil")])


def _sealed_change(
    fn: Callable[[dict[str, bytes]], dict[str, bytes]], **kw: Any
) -> Callable[[Sample, Path], Path]:
    return _with_files(_resealed(lambda files, s: fn(files), **kw))


HOSTILE: list[Hostile] = [
    Hostile("not_a_zip", "zip_corrupt", lambda s, o: (o.write_bytes(os.urandom(5000)), o)[1]),
    Hostile("truncated", "zip_corrupt", _truncated),
    Hostile("traversal", "path_traversal", _raw_name("{bag}/data/../../evil.txt")),
    Hostile("absolute", "absolute_path", _raw_name("/tmp/evil.txt")),
    Hostile("drive_letter", "drive_letter", _raw_name("C:/Windows/evil.txt")),
    Hostile("backslash", "backslash", _raw_name("{bag}\\data\\evil.txt")),
    Hostile("windows_name", "bad_name", _raw_name("{bag}/data/evidence/CON.pdf")),
    Hostile("colon", "bad_name", _raw_name("{bag}/data/evidence/a:b.pdf")),
    Hostile("symlink", "symlink", _symlink),
    Hostile("fifo", "special_file", _fifo),
    Hostile("duplicate", "duplicate_name", _raw_name("{bag}/data/assessment.json")),
    Hostile("case_collision", "name_collision", _raw_name("{bag}/DATA/assessment.json")),
    Hostile(
        "nfc_collision",
        "name_collision",
        lambda s, o: _entries_plus(
            s,
            o,
            [
                Raw(f"{_bag(s)}/data/{_nfc('Tài liệu.txt')}", b"a"),
                Raw(f"{_bag(s)}/data/{_nfd('Tài liệu.txt')}", b"b"),
            ],
        ),
    ),
    Hostile("outside_bag", "outside_bag", _raw_name("README.txt")),
    Hostile("second_top_folder", "outside_bag", _raw_name("other/data/x.txt")),
    Hostile("encrypted", "encrypted_entry", _encrypted),
    Hostile("no_utf8_flag", "name_encoding", _no_utf8_flag),
    Hostile("lzma", "unsupported_compression", _lzma),
    Hostile("zip_bomb_ratio", "compression_ratio", _bomb),
    Hostile("overlapping", "overlapping_entries", _overlap),
    Hostile("stored_size_lie", "size_mismatch", _stored_size_lie),
    Hostile("deflated_size_lie", "size_mismatch", _size_lie),
    Hostile("crc", "crc_mismatch", _flip_byte_in_stored),
    Hostile("too_many_entries", "too_many_entries", _plain, limits=Limits(max_entries=5)),
    Hostile("too_big", "total_size_limit", _plain, limits=Limits(max_total_size=100_000)),
    Hostile(
        "no_bagit_txt",
        "bagit_missing",
        _with_files(lambda f, s: {k: v for k, v in f.items() if k != "bagit.txt"}),
    ),
    Hostile(
        "bagit_097",
        "bagit_version",
        _sealed_change(lambda f: {**f, "bagit.txt": f["bagit.txt"].replace(b"1.0", b"0.97")}),
    ),
    Hostile(
        "latin1_bag_info",
        "tag_not_utf8",
        _sealed_change(
            lambda f: {**f, "bag-info.txt": f["bag-info.txt"] + b"Note: caf\xe9\n"}, oxum=False
        ),
    ),
    Hostile(
        "bag_info_edited",
        "tag_hash_mismatch",
        _with_files(lambda f, s: set_info(f, "ParApp-Period", "2023")),
    ),
    Hostile(
        "tagmanifest_incomplete",
        "tagmanifest_incomplete",
        _with_files(
            lambda f, s: reseal_partial(f, s, ["bagit.txt", "manifest-sha256.txt"]),
        ),
    ),
    Hostile(
        "unlisted_tag_file",
        "unlisted_tag_file",
        lambda s, o: _entries_plus(s, o, [Raw(f"{_bag(s)}/notes.txt", b"tin toi")]),
    ),
    Hostile(
        "md5_manifest",
        "unsupported_manifest",
        lambda s, o: _entries_plus(s, o, [Raw(f"{_bag(s)}/manifest-md5.txt", b"")]),
    ),
    Hostile(
        "no_signature",
        "signature_missing",
        _with_files(lambda f, s: {k: v for k, v in f.items() if k != SIG}),
    ),
    Hostile(
        "garbled_signature",
        "signature_malformed",
        _with_files(lambda f, s: {**f, SIG: b"untrusted comment: x\nnot base64!\n"}),
    ),
    Hostile("signature_other_manifest", "signature_invalid", _foreign_signature),
    Hostile("signed_by_other_key", "signature_wrong_key", _other_key_same_info),
    Hostile("key_swapped", "unexpected_key", _other_key_everywhere, expect_key=True),
    Hostile("trusted_comment_edited", "trusted_comment_invalid", _edit_trusted_comment),
    Hostile(
        "trusted_comment_other_revision",
        "trusted_comment_mismatch",
        _sealed_change(lambda f: f, trusted_comment="timestamp:1\tfile:x\tparapp:20333/2024/r7"),
    ),
    Hostile(
        "manifest_lists_missing_file",
        "manifest_missing_file",
        _sealed_change(
            lambda f: {k: v for k, v in f.items() if not k.endswith(".jpg")}, manifest=False
        ),
    ),
    Hostile(
        "payload_not_in_manifest",
        "payload_not_in_manifest",
        _sealed_change(lambda f: {**f, "data/evidence/extra.pdf": b"%PDF"}, manifest=False),
    ),
    Hostile(
        "evidence_byte_changed",
        "payload_hash_mismatch",
        _with_files(
            lambda f, s: {
                k: (v[:-1] + bytes([v[-1] ^ 1]) if k.endswith(".pdf") else v) for k, v in f.items()
            }
        ),
    ),
    Hostile(
        "oxum_wrong",
        "oxum_mismatch",
        _sealed_change(lambda f: set_info(f, "Payload-Oxum", "1.1"), oxum=False),
    ),
    Hostile(
        "revision_text",
        "revision_invalid",
        _sealed_change(lambda f: set_info(f, "ParApp-Revision", "hai")),
    ),
    Hostile(
        "bag_info_field_missing",
        "bag_info_field_missing",
        _sealed_change(lambda f: set_info(f, "ParApp-Unit-Code", None)),
    ),
    Hostile(
        "assessment_not_json",
        "assessment_invalid_json",
        _sealed_change(lambda f: {**f, "data/assessment.json": b"{not json"}),
    ),
    Hostile(
        "assessment_nan",
        "assessment_invalid_json",
        _sealed_change(
            lambda f: {
                **f,
                "data/assessment.json": f["data/assessment.json"].replace(
                    b'"self_score": 1.0', b'"self_score": NaN'
                ),
            }
        ),
    ),
    Hostile("assessment_schema", "assessment_schema", _doc_change(lambda d: d.pop("answers"))),
    Hostile(
        "assessment_other_unit",
        "info_mismatch",
        _doc_change(lambda d: d["unit"].update(code="99999")),
    ),
    Hostile(
        "evidence_not_in_bag",
        "evidence_missing",
        _doc_change(
            lambda d: d["answers"][0]["evidence"][0].update(
                sha256="0" * 64, path="data/evidence/" + "0" * 64 + ".pdf"
            )
        ),
    ),
    Hostile(
        "evidence_wrong_size",
        "evidence_mismatch",
        _doc_change(lambda d: d["answers"][0]["evidence"][0].update(size=1)),
    ),
    Hostile(
        "framework_edited",
        "framework_hash_mismatch",
        _doc_change(lambda d: d["framework"]["content"]["criteria"][0].update(title="Khác")),
    ),
    Hostile(
        "framework_unknown",
        "framework_unknown",
        _plain,
        known_hashes=frozenset({"0" * 64}),
    ),
    Hostile(
        "unexpected_payload",
        "unexpected_payload",
        _sealed_change(lambda f: {**f, "data/run.exe": b"MZ"}),
    ),
]


def reseal_partial(files: dict[str, bytes], s: Sample, tags: list[str]) -> dict[str, bytes]:
    """A correctly signed tag manifest that leaves out some required tag files."""
    files = dict(files)
    files["tagmanifest-sha256.txt"] = _manifest(files, tags)
    comment = parse_signature(files[SIG].decode()).trusted_comment
    files[SIG] = sign(files["tagmanifest-sha256.txt"], s.keypair, comment).encode()
    return files
