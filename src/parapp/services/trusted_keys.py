"""The registry of other units' public keys that this workspace trusts.

A receiving office enrols its child units' keys (from a ``.pub`` file, from a key list the
office distributes, or on first sight after comparing the fingerprint read out on the
phone); a commune enrols its parent's key to check the appraisal results sent back. A bundle
signed by another key than the enrolled one is refused by the inbox.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from parapp.fileio import atomic_write_text
from parapp.interchange import key_rotation, keys
from parapp.interchange.keys import KeyFileError, PublicKey
from parapp.interchange.minisign import SignatureError
from parapp.models.errors import NotFoundError, ParAppError
from parapp.models.text import clean
from parapp.services.workspace import Workspace
from parapp.storage.office_repo import InboxRepo, TrustedKeysRepo

SOURCE_FILE = "file"
SOURCE_LIST = "list"
SOURCE_FIRST_SIGHT = "first_sight"
SOURCE_ROTATION = "rotation"
SOURCE_LABELS = {
    SOURCE_FILE: "Nhập tệp khóa công khai",
    SOURCE_LIST: "Danh sách khóa",
    SOURCE_FIRST_SIGHT: "Xác minh dấu vân tay qua điện thoại",
    SOURCE_ROTATION: "Văn bản chuyển đổi khóa",
}
UNVERIFIED_LABEL = "chưa xác minh khóa"


@dataclass(frozen=True)
class TrustedKey:
    unit_code: str
    unit_name: str
    public: PublicKey
    fingerprint: str
    source: str
    enrolled_at: str
    shared_with: tuple[str, ...] = ()  # other units trusted with the very same key

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)

    @property
    def warning(self) -> str:
        """Non-empty when the same key is trusted for other units too (one key, one unit)."""
        if not self.shared_with:
            return ""
        return (
            f"Cảnh báo: khóa {self.fingerprint} của đơn vị {self.unit_code} cũng đang được tin "
            f"cho đơn vị {', '.join(self.shared_with)}. Mỗi đơn vị phải có khóa riêng; hãy gọi "
            "điện xác minh lại với các đơn vị này."
        )


def normalise_fingerprint(text: str) -> str:
    """``"k7qm 3xpa-9d2f hw4n"`` -> ``"K7QM-3XPA-9D2F-HW4N"`` (as read out on the phone)."""
    raw = re.sub(r"[^0-9A-Za-z]", "", text).upper()
    raw = raw.replace("O", "0").replace("I", "1").replace("L", "1")  # Crockford look-alikes
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def trusted_key(ws: Workspace, unit_code: str) -> PublicKey | None:
    row = TrustedKeysRepo(ws.db).get(unit_code)
    return keys.public_key_from_base64(str(row["public_key"])) if row else None


def list_keys(ws: Workspace) -> list[TrustedKey]:
    """Every enrolled key with its unit's name (one query for the keys, one for units)."""
    names = {u.code: u.name for u in ws.units.all()}
    rows = TrustedKeysRepo(ws.db).all()
    by_key: dict[str, list[str]] = {}
    for r in rows:
        by_key.setdefault(str(r["public_key"]), []).append(str(r["unit_code"]))
    return [
        TrustedKey(
            str(r["unit_code"]),
            names.get(str(r["unit_code"]), ""),
            keys.public_key_from_base64(str(r["public_key"])),
            str(r["fingerprint"]),
            str(r["source"]),
            str(r["enrolled_at"]),
            tuple(c for c in by_key[str(r["public_key"])] if c != str(r["unit_code"])),
        )
        for r in rows
    ]


def _require_unit(ws: Workspace, unit_code: str) -> str:
    if ws.units.find(unit_code) is None:
        raise NotFoundError(
            f"Chưa có đơn vị mã “{unit_code}”. Hãy thêm đơn vị trước "
            f"(“parapp units add {unit_code} --name TÊN --parent MÃ_CẤP_TRÊN”)."
        )
    return unit_code


def _store(ws: Workspace, unit_code: str, pub: PublicKey, source: str, replace: bool) -> TrustedKey:
    repo = TrustedKeysRepo(ws.db)
    old = repo.get(unit_code)
    b64 = keys.public_key_to_base64(pub)
    if old is not None and str(old["public_key"]) != b64 and not replace:
        raise ParAppError(
            f"Đơn vị {unit_code} đã đăng ký khóa khác ({old['fingerprint']}). Nếu đơn vị đã đổi "
            "khóa, hãy nhập văn bản chuyển đổi khóa; muốn thay hẳn, dùng tùy chọn --replace."
        )
    with ws.db.atomic():
        repo.put(unit_code, b64, keys.fingerprint(pub), source)
        InboxRepo(ws.db).mark_key_verified(unit_code, b64)
    return next(k for k in list_keys(ws) if k.unit_code == unit_code)


def enrol_key_file(
    ws: Workspace, unit_code: str, pub_file: Path, *, replace: bool = False
) -> TrustedKey:
    """Trust the key in a minisign ``.pub`` file for ``unit_code``."""
    unit_code = _require_unit(ws, clean(unit_code))
    return _store(ws, unit_code, keys.read_public_key(pub_file), SOURCE_FILE, replace)


def enrol_key_list(ws: Workspace, path: Path, *, replace: bool = False) -> list[TrustedKey]:
    """Enrol every key of a key list: lines ``MÃ_ĐƠN_VỊ  khóa-base64`` (``#`` comments).

    All lines are checked before anything is stored.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise ParAppError(f"Không đọc được danh sách khóa “{path}”.") from err
    parsed: list[tuple[str, PublicKey]] = []
    problems: list[str] = []
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        try:
            if len(parts) != 2:
                raise KeyFileError("cần hai cột: mã đơn vị và khóa")
            parsed.append((clean(parts[0]), keys.public_key_from_base64(parts[1])))
        except KeyFileError as err:
            problems.append(f"Dòng {n}: {err}")
    unknown = [c for c, _ in parsed if ws.units.find(c) is None]
    problems += [f"Chưa có đơn vị mã “{c}” trong dữ liệu." for c in unknown]
    if problems:
        raise ParAppError("Danh sách khóa có lỗi, chưa nhập gì:\n" + "\n".join(problems))
    return [_store(ws, code, pub, SOURCE_LIST, replace) for code, pub in parsed]


def export_key_list(ws: Workspace, path: Path) -> int:
    """Write the registry as a key list another office can enrol (returns the count)."""
    rows = list_keys(ws)
    lines = ["# Danh sách khóa công khai ParApp: mã đơn vị, khóa (minisign)"]
    lines += [
        f"{k.unit_code}\t{keys.public_key_to_base64(k.public)}\t# {k.unit_name}" for k in rows
    ]
    atomic_write_text(path, "\n".join(lines) + "\n")
    return len(rows)


def trust_on_first_sight(ws: Workspace, unit_code: str, fingerprint: str) -> TrustedKey:
    """Trust the key that signed the unit's received bundles, if its fingerprint is the one
    the unit read out (the officer compares; the program refuses a mismatch)."""
    unit_code = _require_unit(ws, clean(unit_code))
    wanted = normalise_fingerprint(fingerprint)
    pending = [r for r in InboxRepo(ws.db).all() if r["unit_code"] == unit_code and r["signer_key"]]
    if not pending:
        raise ParAppError(
            f"Chưa nhận hồ sơ nào của đơn vị {unit_code} để lấy khóa; hãy nhập tệp khóa "
            "công khai (.pub) của đơn vị."
        )
    candidates = {str(r["signer_key"]): str(r["signer_fingerprint"]) for r in pending}
    match = [k for k, fp in candidates.items() if fp == wanted]
    if not match:
        seen = ", ".join(sorted(set(candidates.values())))
        raise ParAppError(
            f"Dấu vân tay {wanted} không khớp với khóa đã ký hồ sơ của đơn vị {unit_code} "
            f"({seen}). KHÔNG tin khóa này; hãy liên hệ lại đơn vị."
        )
    # The officer has just compared the fingerprint with the unit: that confirmation may
    # also replace an older key (the bundles signed with it stay as they were).
    pub = keys.public_key_from_base64(match[0])
    return _store(ws, unit_code, pub, SOURCE_FIRST_SIGHT, replace=True)


def apply_rotation(ws: Workspace, unit_code: str, statement: Path) -> TrustedKey:
    """Trust the new key announced by a rotation statement signed by the enrolled key."""
    unit_code = _require_unit(ws, clean(unit_code))
    old = trusted_key(ws, unit_code)
    if old is None:
        raise ParAppError(
            f"Đơn vị {unit_code} chưa đăng ký khóa nên không kiểm được văn bản chuyển đổi khóa."
        )
    try:
        new = key_rotation.verify_rotation_statement(Path(statement).read_text("utf-8"), old)
    except (OSError, UnicodeDecodeError) as err:
        raise ParAppError(f"Không đọc được văn bản chuyển đổi khóa “{statement}”.") from err
    except SignatureError as err:
        raise ParAppError(
            f"Văn bản chuyển đổi khóa không được ký bằng khóa đã đăng ký của đơn vị {unit_code} "
            f"({err}). Không thay khóa."
        ) from err
    return _store(ws, unit_code, new, SOURCE_ROTATION, replace=True)


def expected_key_for_bundle(ws: Workspace, path: Path) -> PublicKey | None:
    """The enrolled key of the unit a bundle claims to be from (``None`` if not enrolled).

    Reads the claim without trusting it: verification then proves the bundle was signed
    by exactly this key.
    """
    from parapp.interchange.bundle import inspect_bundle

    claimed = inspect_bundle(path).get("bag_info", {}).get("ParApp-Unit-Code")
    return trusted_key(ws, clean(str(claimed))) if claimed else None
