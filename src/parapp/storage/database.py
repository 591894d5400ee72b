"""Opening the workspace database: WAL, foreign keys, numbered migrations, newer-schema refusal.

The schema evolves only through the migrations below (:data:`MIGRATIONS`, run by sqlite-utils'
``Migrations``), applied in order at open. A database whose applied migrations include names
this version does not know was written by a newer ParApp: it is refused and left untouched,
never "repaired".

Everyday access goes through :class:`Database`, a few lines over :mod:`sqlite3` that keep
sqlite-utils' ``execute``/``query``/``atomic`` contract. sqlite-utils itself (and the click,
pluggy and dateutil it imports: a tenth of a second) loads only when a schema must change or
be rebuilt for comparison, never when an up-to-date workspace opens — the desktop app's cold
start (``bench/bench_startup.py``).
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parapp.models.errors import WorkspaceError

if TYPE_CHECKING:
    import sqlite_utils
    from sqlite_utils.migrations import Migrations

MIGRATION_SET = "parapp"
#: sqlite-utils' record of applied migrations (its name and layout are sqlite-utils')
MIGRATIONS_TABLE = "_sqlite_migrations"

Params = Sequence[Any] | dict[str, Any]


def _unique_keys(keys: Iterable[str]) -> list[str]:
    """Column names made unique as sqlite-utils does (``id``, ``id_2``…): a join selecting two
    columns of one name keeps both."""
    names = list(keys)
    taken = set(names)
    if len(taken) == len(names):
        return names
    seen: set[str] = set()
    result = []
    for name in names:
        if name in seen:
            new, suffix = name, 2
            while new in seen or new in taken:
                new, suffix = f"{name}_{suffix}", suffix + 1
            name = new
        seen.add(name)
        result.append(name)
    return result


_SAVEPOINTS = itertools.count(1)


class Database:
    """A connection in autocommit mode (``isolation_level=None``) with sqlite-utils' three
    everyday calls: :meth:`execute`, :meth:`query` (rows as dicts) and :meth:`atomic` (one
    transaction; nested blocks are savepoints). Plain :mod:`sqlite3` underneath, so opening a
    workspace does not import sqlite-utils."""

    conn: sqlite3.Connection

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, parameters: Params | None = None) -> sqlite3.Cursor:
        """Run one statement; outside :meth:`atomic` a write is committed at once."""
        if parameters is None:
            return self.conn.execute(sql)
        return self.conn.execute(sql, parameters)

    def query(self, sql: str, params: Params | None = None) -> Iterator[dict[str, Any]]:
        """Run a statement that returns rows, now; the rows are read as they are iterated.

        A statement without rows raises ``ValueError`` as in sqlite-utils, but has run (no
        savepoint around every read to undo it): writes go through :meth:`execute`."""
        cursor = self.execute(sql, params)
        if cursor.description is None:
            raise ValueError("query() is for statements that return rows; use execute()")
        keys = _unique_keys(str(d[0]) for d in cursor.description)
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        """One transaction, committed at the end of the block and rolled back if it raises;
        inside another one, a savepoint (sqlite-utils' semantics)."""
        conn = self.conn
        if conn.in_transaction:
            savepoint = f"parapp_{next(_SAVEPOINTS)}"
            conn.execute(f"SAVEPOINT {savepoint}")
            try:
                yield self
            except BaseException:
                # a RAISE(ROLLBACK) trigger may already have ended the whole transaction
                if conn.in_transaction:
                    conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            else:
                conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            return
        conn.execute("BEGIN")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        else:
            try:
                conn.execute("COMMIT")
            except BaseException:
                self.rollback()
                raise

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def table_names(self) -> list[str]:
        return [
            str(r[0]) for r in self.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]

    def close(self) -> None:
        self.conn.close()


_REGISTERED: list[Callable[[sqlite_utils.Database], None]] = []


def migration(
    fn: Callable[[sqlite_utils.Database], None],
) -> Callable[[sqlite_utils.Database], None]:
    """Register a migration, in the order of the module (sqlite-utils' own decorator would
    import sqlite-utils on every start; this one only records, and :func:`migration_set`
    hands the list to sqlite-utils when a schema must change)."""
    _REGISTERED.append(fn)
    return fn


@migration
def m001_initial(db: sqlite_utils.Database) -> None:
    """Settings, units, frameworks, task plans, assessments, answers, evidence."""
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute(
        """CREATE TABLE units (
            code TEXT PRIMARY KEY, name TEXT NOT NULL, level TEXT NOT NULL,
            parent_code TEXT REFERENCES units(code) ON DELETE SET NULL,
            province TEXT NOT NULL DEFAULT '')"""
    )
    db.execute(
        """CREATE TABLE frameworks (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, index_kind TEXT NOT NULL,
            year INTEGER, content_hash TEXT NOT NULL, content TEXT NOT NULL,
            imported_at TEXT NOT NULL)"""
    )
    db.execute(
        """CREATE TABLE task_plans (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, year INTEGER NOT NULL,
            decision TEXT NOT NULL DEFAULT '', imported_at TEXT NOT NULL)"""
    )
    db.execute(
        """CREATE TABLE tasks (
            plan_id TEXT NOT NULL REFERENCES task_plans(id) ON DELETE CASCADE,
            code TEXT NOT NULL, title TEXT NOT NULL, parent_code TEXT, ord INTEGER NOT NULL,
            deadline_text TEXT NOT NULL DEFAULT '', due_date TEXT,
            lead TEXT NOT NULL DEFAULT '', coordinators TEXT NOT NULL DEFAULT '',
            product TEXT NOT NULL DEFAULT '', criteria_codes TEXT NOT NULL DEFAULT '[]',
            status TEXT NOT NULL DEFAULT 'todo', note TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (plan_id, code))"""
    )
    db.execute(
        """CREATE TABLE task_events (
            id INTEGER PRIMARY KEY, plan_id TEXT NOT NULL, code TEXT NOT NULL,
            at TEXT NOT NULL, status TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',
            evidence_sha256 TEXT REFERENCES evidence_files(sha256),
            evidence_name TEXT NOT NULL DEFAULT '',
            FOREIGN KEY (plan_id, code) REFERENCES tasks(plan_id, code) ON DELETE CASCADE)"""
    )
    db.execute(
        """CREATE TABLE assessments (
            id INTEGER PRIMARY KEY,
            unit_code TEXT NOT NULL REFERENCES units(code),
            framework_id TEXT NOT NULL REFERENCES frameworks(id),
            framework_hash TEXT NOT NULL, period TEXT NOT NULL,
            revision INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL,
            UNIQUE (unit_code, framework_id, period))"""
    )
    db.execute(
        """CREATE TABLE answers (
            assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
            code TEXT NOT NULL, value REAL, numerator REAL, denominator REAL, self_score REAL,
            explanation TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL,
            PRIMARY KEY (assessment_id, code))"""
    )
    db.execute(
        """CREATE TABLE evidence_files (
            sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, stored_at TEXT NOT NULL)"""
    )
    db.execute(
        """CREATE TABLE evidence_links (
            id INTEGER PRIMARY KEY,
            assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
            code TEXT NOT NULL, sha256 TEXT NOT NULL REFERENCES evidence_files(sha256),
            file_name TEXT NOT NULL, ref TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '',
            added_at TEXT NOT NULL)"""
    )
    db.execute("CREATE INDEX evidence_links_item ON evidence_links(assessment_id, code)")


@migration
def m002_revisions_and_keys(db: sqlite_utils.Database) -> None:
    """Frozen revisions of an assessment (what each exported bundle contained)."""
    db.execute(
        """CREATE TABLE revisions (
            assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
            revision INTEGER NOT NULL, frozen_at TEXT NOT NULL,
            approver TEXT NOT NULL, approver_position TEXT NOT NULL,
            document TEXT NOT NULL, answers_digest TEXT NOT NULL,
            bundle_file TEXT NOT NULL DEFAULT '', bundle_sha256 TEXT NOT NULL DEFAULT '',
            bundle_size INTEGER NOT NULL DEFAULT 0, key_fingerprint TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (assessment_id, revision))"""
    )


@migration
def m003_receiving_office(db: sqlite_utils.Database) -> None:
    """Receiving office: trusted keys of child units, received bundles, appraisal; and, on
    the commune side, the appraisal results its parent sent back."""
    db.execute(
        """CREATE TABLE trusted_keys (
            unit_code TEXT PRIMARY KEY, public_key TEXT NOT NULL, fingerprint TEXT NOT NULL,
            source TEXT NOT NULL, enrolled_at TEXT NOT NULL, note TEXT NOT NULL DEFAULT '')"""
    )
    db.execute(
        """CREATE TABLE trusted_key_history (
            id INTEGER PRIMARY KEY, unit_code TEXT NOT NULL, public_key TEXT NOT NULL,
            fingerprint TEXT NOT NULL, source TEXT NOT NULL, at TEXT NOT NULL)"""
    )
    db.execute(
        """CREATE TABLE received_bundles (
            id INTEGER PRIMARY KEY, file_sha256 TEXT NOT NULL, file_name TEXT NOT NULL,
            size INTEGER NOT NULL, received_at TEXT NOT NULL,
            status TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',
            unit_code TEXT NOT NULL DEFAULT '', unit_name TEXT NOT NULL DEFAULT '',
            period TEXT NOT NULL DEFAULT '', revision INTEGER NOT NULL DEFAULT 0,
            framework_id TEXT NOT NULL DEFAULT '', framework_hash TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL DEFAULT '', content_digest TEXT NOT NULL DEFAULT '',
            signer_key TEXT NOT NULL DEFAULT '', signer_fingerprint TEXT NOT NULL DEFAULT '',
            key_verified INTEGER NOT NULL DEFAULT 0, stored_path TEXT NOT NULL DEFAULT '',
            document TEXT NOT NULL DEFAULT '', approver TEXT NOT NULL DEFAULT '')"""
    )
    db.execute("CREATE INDEX received_bundles_sha ON received_bundles(file_sha256)")
    db.execute("CREATE INDEX received_bundles_unit ON received_bundles(unit_code, period)")
    db.execute(
        """CREATE TABLE received_answers (
            bundle_id INTEGER NOT NULL REFERENCES received_bundles(id) ON DELETE CASCADE,
            code TEXT NOT NULL, value REAL, numerator REAL, denominator REAL, self_score REAL,
            explanation TEXT NOT NULL DEFAULT '', evidence TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (bundle_id, code))"""
    )
    db.execute(
        """CREATE TABLE appraisals (
            unit_code TEXT NOT NULL, period TEXT NOT NULL, code TEXT NOT NULL,
            score REAL NOT NULL, comment TEXT NOT NULL DEFAULT '',
            based_on_revision INTEGER NOT NULL DEFAULT 0, appraised_at TEXT NOT NULL,
            PRIMARY KEY (unit_code, period, code))"""
    )
    db.execute(
        """CREATE TABLE appraisal_results (
            period TEXT NOT NULL, framework_id TEXT NOT NULL, code TEXT NOT NULL,
            score REAL, comment TEXT NOT NULL DEFAULT '', office_unit TEXT NOT NULL,
            revision INTEGER NOT NULL, file_sha256 TEXT NOT NULL, imported_at TEXT NOT NULL,
            PRIMARY KEY (period, framework_id, code))"""
    )


@migration
def m004_not_applicable_answers(db: sqlite_utils.Database) -> None:
    """An item declared not applicable (where its rule allows it), on both sides."""
    db.execute("ALTER TABLE answers ADD COLUMN not_applicable INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE received_answers ADD COLUMN not_applicable INTEGER NOT NULL DEFAULT 0")


@migration
def m005_appraisal_cycle(db: sqlite_utils.Database) -> None:
    """The appraisal cycle: per-item review states (office), the requests received from the
    parent (commune), period locks after a final appraisal (both sides), the audit trail."""
    db.execute(
        """CREATE TABLE review_states (
            unit_code TEXT NOT NULL, period TEXT NOT NULL, code TEXT NOT NULL,
            state TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',
            based_on_revision INTEGER NOT NULL DEFAULT 0,
            set_by TEXT NOT NULL DEFAULT '', set_at TEXT NOT NULL,
            PRIMARY KEY (unit_code, period, code))"""
    )
    db.execute(
        """CREATE TABLE review_requests (
            period TEXT NOT NULL, framework_id TEXT NOT NULL, code TEXT NOT NULL,
            state TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', office_unit TEXT NOT NULL,
            revision INTEGER NOT NULL, response_deadline TEXT NOT NULL DEFAULT '',
            imported_at TEXT NOT NULL,
            PRIMARY KEY (period, framework_id, code))"""
    )
    db.execute(
        """CREATE TABLE period_locks (
            unit_code TEXT NOT NULL, period TEXT NOT NULL, locked_at TEXT NOT NULL,
            final_created_at TEXT NOT NULL DEFAULT '', locked_by TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (unit_code, period))"""
    )
    db.execute(
        """CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,
            unit_code TEXT NOT NULL, period TEXT NOT NULL, code TEXT NOT NULL DEFAULT '',
            field TEXT NOT NULL, before TEXT NOT NULL DEFAULT '',
            after TEXT NOT NULL DEFAULT '', reason TEXT NOT NULL DEFAULT '')"""
    )
    db.execute("CREATE INDEX audit_log_unit ON audit_log(unit_code, period)")


@migration
def m006_carried_answers(db: sqlite_utils.Database) -> None:
    """The period an answer was carried over from, until the officer reviews it."""
    db.execute("ALTER TABLE answers ADD COLUMN carried_from TEXT NOT NULL DEFAULT ''")


@migration
def m007_framework_drafts(db: sqlite_utils.Database) -> None:
    """Frameworks being edited in the app: kept apart from the usable ``frameworks`` until
    they are valid, so nothing can assess or publish against a half-edited tree."""
    db.execute(
        """CREATE TABLE framework_drafts (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, base_id TEXT NOT NULL DEFAULT '',
            content_hash TEXT NOT NULL, content TEXT NOT NULL,
            problems INTEGER NOT NULL DEFAULT 0, saved_at TEXT NOT NULL)"""
    )


#: the schema's history, oldest first, as the ``@migration`` decorators registered it; a
#: function's name is what the database records, so a migration is never renamed, removed
#: or reordered — only appended
MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = tuple(_REGISTERED)


def known_migrations() -> list[str]:
    return [fn.__name__ for fn in MIGRATIONS]


@functools.cache
def migration_set() -> Migrations:
    """sqlite-utils' runner over :data:`MIGRATIONS`, imported on first need (a new or an older
    workspace, a restore check), not when an up-to-date workspace opens."""
    from sqlite_utils.migrations import Migrations

    runner = Migrations(MIGRATION_SET)
    for fn in MIGRATIONS:
        runner()(fn)
    return runner


def apply_migrations(conn: sqlite3.Connection, stop_before: str | None = None) -> None:
    """Apply the pending migrations (those before ``stop_before``) on ``conn``."""
    import sqlite_utils

    db = sqlite_utils.Database(conn, execute_plugins=False)
    migration_set().apply(db, stop_before=stop_before)


def applied_migrations(conn: sqlite3.Connection) -> list[str] | None:
    """The names of this app's applied migrations in the order applied, read with plain SQL
    (what sqlite-utils' ``Migrations.applied`` returns); ``None`` when the database has no
    migrations table (an empty file, or not a ParApp database)."""
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]
    ).fetchone()
    if found is None:
        return None
    return [
        str(r[0])
        for r in conn.execute(
            f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid",
            [MIGRATION_SET],
        )
    ]


def _open_connection(path: Path) -> sqlite3.Connection:
    """One connection with the workspace's pragmas. ``synchronous=FULL``: in WAL mode NORMAL
    can lose the last commits on a power cut, and old office PCs lose power."""
    conn = sqlite3.connect(str(path), timeout=10, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA recursive_triggers = ON")
    return conn


class WorkspaceDatabase(Database):
    """A :class:`Database` whose ``conn`` is the calling thread's own connection.

    SQLite connections must not be shared between threads without a lock that the GUI cannot
    hold while a background operation runs; instead every thread gets its own connection to
    the same file (WAL lets readers and one writer work at once, ``busy_timeout`` serialises
    writers). The thread that opened the workspace keeps the first connection; a background
    thread opens one on first use and closes it with :meth:`release_thread_connection`
    (the UI's worker does so when its job ends).
    """

    def __init__(self, path: Path, first: sqlite3.Connection) -> None:
        self._path = path
        self._local = threading.local()
        self._lock = threading.Lock()
        self._owner = threading.get_ident()
        self._all: list[sqlite3.Connection] = []
        super().__init__(first)
        _OPEN.add(self)

    @property
    def conn(self) -> sqlite3.Connection:
        current: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if current is None:
            current = _open_connection(self._path)
            self.conn = current
        return current

    @conn.setter
    def conn(self, value: sqlite3.Connection) -> None:
        self._local.conn = value
        with self._lock:
            self._all.append(value)

    @property
    def path(self) -> Path:
        return self._path

    def release_thread_connection(self) -> None:
        """Close the calling thread's connection (a later use opens a new one)."""
        current: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if current is None or threading.get_ident() == self._owner:
            return
        self._local.conn = None
        with self._lock:
            self._all.remove(current)
        current.close()

    def close(self) -> None:
        """Close the owner thread's connection (background connections end with their job)."""
        current: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if current is not None:
            self._local.conn = None
            with self._lock:
                if current in self._all:
                    self._all.remove(current)
            current.close()


_OPEN: weakref.WeakSet[WorkspaceDatabase] = weakref.WeakSet()


def release_thread_connections() -> None:
    """Close every connection the calling (background) thread opened to any workspace."""
    for db in list(_OPEN):
        db.release_thread_connection()


SchemaObject = tuple[str, str, str, str | None]  # (type, name, table, sql)


def schema_objects(conn: sqlite3.Connection) -> set[SchemaObject]:
    return {
        (str(t), str(n), str(tbl), None if sql is None else str(sql))
        for t, n, tbl, sql in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
    }


@functools.cache
def reference_schema(applied: int) -> frozenset[SchemaObject]:
    """The schema exactly as this app's first ``applied`` migrations create it."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        names = known_migrations()
        apply_migrations(conn, stop_before=names[applied] if applied < len(names) else None)
        return frozenset(schema_objects(conn))
    finally:
        conn.close()


_KIND = {"table": "bảng", "view": "view", "index": "chỉ mục", "trigger": "trigger"}


def _by_kind(key: tuple[str, str]) -> tuple[int, str]:
    """Tables first: a missing table is the reason, not its missing automatic index."""
    order = list(_KIND)
    return (order.index(key[0]) if key[0] in order else len(order), key[1])


def check_restorable(path: Path, bad: str) -> None:
    """Refuse a database that is not exactly one this app wrote (before it is swapped in).

    Checks ``PRAGMA integrity_check``; that the applied migrations are a prefix of the
    ones this version knows (not newer, not foreign); and that ``sqlite_master`` holds
    exactly what those migrations create — no extra trigger (one could delete evidence
    links or ``RAISE(ABORT)`` every write), view, table or index, none missing or altered.
    Nothing in the file is executed: only the schema is read, with ``trusted_schema`` off.
    """
    try:
        conn = sqlite3.connect(str(path), isolation_level=None)
    except sqlite3.Error as err:
        raise WorkspaceError(f"{bad}: không mở được cơ sở dữ liệu ({err}).") from err
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        result = [str(r[0]) for r in conn.execute("PRAGMA integrity_check(20)")]
        if result != ["ok"]:
            raise WorkspaceError(
                f"{bad}: cơ sở dữ liệu bị hỏng (kiểm tra toàn vẹn: {'; '.join(result)[:300]})."
            )
        tables = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master")}
        if MIGRATIONS_TABLE not in tables:
            raise WorkspaceError(f"{bad}: cơ sở dữ liệu không phải của ParApp.")
        sets = {str(r[0]) for r in conn.execute(
            f"SELECT DISTINCT migration_set FROM {MIGRATIONS_TABLE}"
        )}  # fmt: skip
        applied = [
            str(r[0])
            for r in conn.execute(
                f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid",
                [MIGRATION_SET],
            )
        ]
        known = known_migrations()
        if sets - {MIGRATION_SET} or applied != known[: len(applied)] or not applied:
            unknown = sorted(set(applied) - set(known)) or sorted(sets - {MIGRATION_SET})
            raise WorkspaceError(
                f"{bad}: cơ sở dữ liệu có phiên bản cấu trúc mà phiên bản ParApp này không "
                f"biết ({', '.join(unknown)[:200] or 'thứ tự thay đổi cấu trúc lạ'}). Nếu bản sao "
                "lưu do phiên bản mới hơn tạo, hãy cài phiên bản ParApp mới nhất."
            )
        actual = schema_objects(conn)
        expected = reference_schema(len(applied))
        wanted = {(t, n): (tbl, sql) for t, n, tbl, sql in expected}
        found = {(t, n): (tbl, sql) for t, n, tbl, sql in actual}
        for key in sorted(found.keys() - wanted.keys(), key=_by_kind):
            raise WorkspaceError(
                f"{bad}: cơ sở dữ liệu có {_KIND.get(key[0], key[0])} “{key[1][:60]}” không do "
                "ParApp tạo."
            )
        for key in sorted(wanted.keys() - found.keys(), key=_by_kind):
            raise WorkspaceError(
                f"{bad}: cơ sở dữ liệu thiếu {_KIND.get(key[0], key[0])} “{key[1]}”."
            )
        for key in sorted(found, key=_by_kind):
            if found[key] != wanted[key]:
                raise WorkspaceError(
                    f"{bad}: {_KIND.get(key[0], key[0])} “{key[1]}” có cấu trúc khác với cấu "
                    "trúc ParApp tạo."
                )
    except sqlite3.Error as err:
        raise WorkspaceError(f"{bad}: cơ sở dữ liệu bị hỏng ({err}).") from err
    finally:
        conn.close()


def connect(path: Path | str, *, migrate: bool = True) -> WorkspaceDatabase:
    """Open (creating if needed) a workspace database and bring its schema up to date.

    Raises :class:`WorkspaceError` for a database written by a newer ParApp, or for a file
    that is not a ParApp database, without changing it.
    """
    path = Path(path)
    db: WorkspaceDatabase | None = None
    try:
        db = WorkspaceDatabase(path, _open_connection(path))
        applied = applied_migrations(db.conn)
        _refuse_newer(applied, path)
        if migrate:
            if applied is None and db.table_names():
                raise WorkspaceError(f"“{path}” không phải là cơ sở dữ liệu của ParApp.")
            db.conn.execute("PRAGMA journal_mode = WAL")
            if set(known_migrations()) - set(applied or ()):  # up to date: nothing to load
                apply_migrations(db.conn)
        return db
    except BaseException as err:
        if db is not None:
            db.close()  # never keep a refused file open (Windows would lock it)
        if not isinstance(err, sqlite3.DatabaseError):
            raise
        raise WorkspaceError(_open_error(path, err)) from err


_NOT_CORRUPT = {
    sqlite3.SQLITE_FULL: "ổ đĩa đã đầy. Hãy giải phóng dung lượng rồi mở lại; dữ liệu không hỏng",
    sqlite3.SQLITE_CANTOPEN: "không mở được tệp (thư mục không tồn tại hoặc không có quyền)",
    sqlite3.SQLITE_READONLY: "tệp hoặc ổ đĩa chỉ cho phép đọc",
    sqlite3.SQLITE_PERM: "không có quyền truy cập tệp",
    sqlite3.SQLITE_BUSY: "tệp đang được một chương trình khác ghi; hãy thử lại",
    sqlite3.SQLITE_LOCKED: "tệp đang bị khóa; hãy thử lại",
    sqlite3.SQLITE_IOERR: "lỗi đọc/ghi ổ đĩa (có thể ổ đĩa đầy hoặc bị rút ra)",
}


def _open_error(path: Path, err: sqlite3.DatabaseError) -> str:
    """Only a real format problem is called "corrupt": a full disk, a lock or missing rights
    are said as such, so nobody restores a backup over a healthy database."""
    code = getattr(err, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(err).lower()
    if primary == sqlite3.SQLITE_FULL or "disk is full" in text:
        primary = sqlite3.SQLITE_FULL
    reason = _NOT_CORRUPT.get(primary) if primary is not None else None
    if reason is not None:
        return f"Không mở được cơ sở dữ liệu “{path}”: {reason}."
    return f"Không mở được cơ sở dữ liệu “{path}”: tệp bị hỏng hoặc không phải SQLite ({err})."


def _refuse_newer(applied: list[str] | None, path: Path) -> None:
    unknown = set(applied or ()) - set(known_migrations())
    if unknown:
        raise WorkspaceError(
            f"Dữ liệu tại “{path}” được tạo bởi phiên bản ParApp mới hơn phiên bản này "
            f"(thay đổi cấu trúc: {', '.join(sorted(unknown))}). Hãy cài phiên bản ParApp mới "
            "nhất; dữ liệu không bị thay đổi."
        )
