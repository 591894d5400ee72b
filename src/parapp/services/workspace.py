"""The ``Workspace`` facade: every use-case the UI and the CLI share.

One workspace = one SQLite file + an ``evidence/`` folder, for one unit. Methods validate
their input (raising :class:`ParAppError` with a Vietnamese message), write in a transaction,
and return what changed. Long operations take ``progress``/``cancel`` callbacks and never
touch widgets.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parapp.models.assessment import Answer, Assessment, EvidenceLink
from parapp.models.errors import NotFoundError, ParAppError, ValidationError
from parapp.models.framework import Criterion, Framework
from parapp.models.periods import previous_assessment
from parapp.models.review import UNNAMED_ACTOR, ReviewState, lock_message
from parapp.models.rollup import Rollup, rollup
from parapp.models.scoring import RuleKind, check_score, computed_score, percentage
from parapp.models.tasks import Task, TaskPlan, TaskStatus, parse_criteria_codes
from parapp.models.text import clean, format_number
from parapp.models.units import Unit
from parapp.services.changes import Changes
from parapp.storage.assessments_repo import AssessmentsRepo
from parapp.storage.audit_repo import AuditRepo
from parapp.storage.backup import (
    DB_NAME,
    auto_backup,
    backup_workspace,
    latest_auto_backup,
    restore_workspace,
)
from parapp.storage.database import WorkspaceDatabase, connect, release_thread_connections
from parapp.storage.evidence_store import (
    CancelFn,
    CancelledError,
    EvidenceStore,
    ProgressFn,
)
from parapp.storage.evidence_store import (
    StoredFile as StoredFile,  # re-exported: the UI's evidence copy returns one
)
from parapp.storage.frameworks_repo import FrameworksRepo
from parapp.storage.inbox_files import sweep_inbox
from parapp.storage.review_repo import PeriodLocksRepo, ReviewRequestsRepo
from parapp.storage.revisions_repo import Revision, RevisionsRepo
from parapp.storage.scratch import clean_leftovers
from parapp.storage.settings_repo import SettingsRepo
from parapp.storage.tasks_repo import TaskEvent, TasksRepo
from parapp.storage.units_repo import UnitsRepo

if TYPE_CHECKING:  # carrying over is loaded when a period begins, not at every start
    from parapp.models.carry_over import FrameworkChange

AUTO_BACKUP_EVERY_S = 3600

_UNSET: Any = object()


def _check_cancel(cancel: CancelFn | None, what: str) -> None:
    if cancel is not None and cancel():
        raise CancelledError(what)


def end_background_work() -> None:
    """Called by a background thread when its job ends: closes the thread's own database
    connections (each thread has its own; see ``WorkspaceDatabase``)."""
    release_thread_connections()


def restore_backup(
    archive: Path,
    data_dir: Path,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> dict[str, int]:
    """Replace the workspace in ``data_dir`` by a backup (it must not be open meanwhile;
    the current data are kept aside under ``backups/``). See :mod:`parapp.storage.backup`."""
    return restore_workspace(Path(archive), Path(data_dir), progress, cancel)


class Workspace:
    """An open workspace. Use :meth:`open`; close with :meth:`close` (or ``with``)."""

    def __init__(self, data_dir: Path, db: WorkspaceDatabase) -> None:
        self.data_dir = data_dir
        self.db = db
        self.evidence = EvidenceStore(data_dir / "evidence")
        self.units = UnitsRepo(db)
        self.frameworks = FrameworksRepo(db)
        self.tasks = TasksRepo(db)
        self.assessments = AssessmentsRepo(db)
        self.settings = SettingsRepo(db)
        self._revisions = RevisionsRepo(db)

    # -- lifecycle ------------------------------------------------------------------------
    @classmethod
    def open(cls, data_dir: Path, *, backup: bool = True) -> Workspace:
        """Open (creating if needed) the workspace in ``data_dir``."""
        data_dir = Path(data_dir)
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            from parapp.fileio import describe_os_error

            raise ParAppError(describe_os_error(err, data_dir)) from err
        clean_leftovers(data_dir)  # temp files of a run that was killed or crashed
        db = connect(data_dir / DB_NAME)
        ws = cls(data_dir, db)
        ws.evidence.clean_incoming()
        sweep_inbox(data_dir, db)
        if backup:
            ws.maybe_auto_backup()
        return ws

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    def maybe_auto_backup(self, force: bool = False) -> Path | None:
        """Keep the last 10 automatic DB backups; at most one an hour unless ``force``."""
        backups = self.data_dir / "backups"
        latest = latest_auto_backup(backups)
        if not force and latest and time.time() - latest.stat().st_mtime < AUTO_BACKUP_EVERY_S:
            return None
        if not self.db.table_names():
            return None
        return auto_backup(self.conn, backups)

    def backup(
        self, out: Path, progress: ProgressFn | None = None, cancel: CancelFn | None = None
    ) -> dict[str, int]:
        """The whole workspace (database, evidence, encrypted keys) as one file ``out``.

        Safe in a background thread (it uses that thread's own connection, and SQLite's
        online backup gives a consistent snapshot while the window keeps writing).
        """
        return backup_workspace(self.conn, self.data_dir, Path(out), progress, cancel)

    # -- own unit -------------------------------------------------------------------------
    def own_unit(self) -> Unit | None:
        code = self.settings.get("own_unit")
        return self.units.find(code) if code else None

    def require_unit(self) -> Unit:
        unit = self.own_unit()
        if unit is None:
            raise ParAppError("Chưa thiết lập đơn vị. Hãy chạy “parapp init --unit MÃ” trước.")
        return unit

    def set_own_unit(self, unit: Unit, parent: Unit | None = None) -> Changes:
        with self.db.atomic():
            if parent is not None:
                self.units.upsert(parent)
            self.units.upsert(unit)
            self.settings.set("own_unit", unit.code)
        return Changes(unit=True)

    def add_unit(self, unit: Unit) -> Changes:
        """Add a hand-entered unit (e.g. a child commune of a district)."""
        if unit.parent_code and self.units.find(unit.parent_code) is None:
            raise NotFoundError(f"Chưa có đơn vị cấp trên mã “{unit.parent_code}”.")
        with self.db.atomic():
            self.units.upsert(unit)
        return Changes(unit=True)

    def unit(self, code: str) -> Unit:
        """A unit of this workspace's list by code (:class:`NotFoundError` if unknown)."""
        return self.units.get(code)

    def child_units(self) -> list[Unit]:
        own = self.own_unit()
        return self.units.children(own.code) if own else []

    def officer(self) -> dict[str, str]:
        return dict(self.settings.get("officer", {"name": "", "position": ""}))

    def set_officer(self, name: str, position: str) -> Changes:
        self.settings.set("officer", {"name": clean(name), "position": clean(position)})
        return Changes(unit=True)

    # -- frameworks and plans ---------------------------------------------------------------
    def save_framework(self, fw: Framework) -> Changes:
        from parapp.models.validation import validate_framework

        validate_framework(fw)
        with self.db.atomic():
            changed = self.frameworks.save(fw)
        return Changes(frameworks=changed)

    def import_framework(
        self, path: Path, progress: ProgressFn | None = None, cancel: CancelFn | None = None
    ) -> Framework:
        """Read a province's sheet (or ParApp JSON) and store it; all or nothing. Reading
        is the slow part: ``cancel`` is honoured once it is done, before anything is stored."""
        from parapp.services.importing import read_framework_file

        fw = read_framework_file(path)
        _check_cancel(cancel, "Nhập bộ chỉ số")
        self.save_framework(fw)
        if progress is not None:
            progress(1, 1)
        return fw

    def framework(self, framework_id: str) -> Framework:
        return self.frameworks.get(framework_id)

    def save_plan(self, plan: TaskPlan) -> Changes:
        with self.db.atomic():
            self.tasks.save_plan(plan)
        return Changes(tasks=True)

    def import_tasks(
        self, path: Path, progress: ProgressFn | None = None, cancel: CancelFn | None = None
    ) -> TaskPlan:
        """Read a task plan sheet and store it (``cancel`` as :meth:`import_framework`)."""
        from parapp.services.importing import read_tasks_file

        plan = read_tasks_file(path)
        _check_cancel(cancel, "Nhập kế hoạch")
        self.save_plan(plan)
        if progress is not None:
            progress(1, 1)
        return plan

    def current_plan_id(self) -> str | None:
        plan_id = self.settings.get("current_plan")
        if plan_id:
            return str(plan_id)
        plans = self.tasks.plans()
        return str(plans[0]["id"]) if plans else None

    def set_current_plan(self, plan_id: str) -> Changes:
        self.tasks.get_plan(plan_id)  # raises NotFoundError for an unknown plan
        self.settings.set("current_plan", plan_id)
        return Changes(tasks=True)

    def set_task_status(
        self,
        plan_id: str,
        code: str,
        status: TaskStatus,
        note: str = "",
        evidence: StoredFile | None = None,
        evidence_name: str = "",
    ) -> Changes:
        with self.db.atomic():
            if evidence is not None:
                self.assessments.register_file(evidence.sha256, evidence.size)
            self.tasks.set_status(
                plan_id,
                code,
                status,
                clean(note),
                evidence.sha256 if evidence else None,
                evidence_name,
            )
        return Changes(tasks=True)

    def task(self, plan_id: str, code: str) -> Task:
        """One task of a plan (raises :class:`NotFoundError` for an unknown code)."""
        for task in self.tasks.get_plan(plan_id).tasks:
            if task.code == code:
                return task
        raise NotFoundError(f"Không có nhiệm vụ “{code}” trong kế hoạch.")

    def set_task_criteria(self, plan_id: str, code: str, text: str) -> Changes:
        """Link a task to the criteria typed in ``text`` (codes of the current framework)."""
        criteria = parse_criteria_codes(text, self.current_framework().by_code)
        with self.db.atomic():
            self.tasks.set_criteria(plan_id, code, criteria)
        return Changes(tasks=True)

    def task_events(self, plan_id: str, code: str) -> list[TaskEvent]:
        return self.tasks.events(plan_id, code)

    # -- assessment -----------------------------------------------------------------------
    def start_assessment(self, framework_id: str, period: str) -> Assessment:
        """Create (or reopen) the assessment of the own unit and make it current."""
        unit = self.require_unit()
        fw = self.framework(framework_id)
        period = clean(period)
        if not period:
            raise ValidationError("Chưa nhập kỳ đánh giá (năm).")
        with self.db.atomic():
            aid = self.assessments.create(unit.code, fw.id, fw.content_hash, period)
            self.settings.set("current_assessment", aid)
        return self.assessments.get(aid)

    def framework_change(self, framework_id: str, period: str) -> FrameworkChange | None:
        """What starting ``framework_id`` for ``period`` can take from an earlier assessment:
        ``None`` when there is nothing to carry; else the answers (with their evidence) that
        can be carried over, matched by code and title, and those that cannot (with the
        reason). The source is the current assessment when only the framework changes within
        its period, else the last period's assessment, and only into an assessment that holds
        no answer yet."""
        source = self._carry_source(framework_id, clean(period))
        if source is None:
            return None
        answers = [x for x in self.assessments.answers(source.id).values() if x.touched]
        if not answers:
            return None
        new = self.framework(framework_id)

        def rule(c: Criterion, ans: Answer) -> Answer:
            return apply_rule(c, ans, new.score_step, score_given=ans.self_score is not None)

        from parapp.models.carry_over import plan_carry_over  # with its diff: only here

        old = self.framework(source.framework_id)
        return plan_carry_over(old, new, clean(period), answers, rule, source.period)

    def _carry_source(self, framework_id: str, period: str) -> Assessment | None:
        current = self.current_assessment()
        same_period = current is not None and current.period == period
        if current is not None and same_period and current.framework_id != framework_id:
            return current  # another framework for the same period
        unit = self.own_unit()
        if unit is None:
            return None
        target = self.assessments.find(unit.code, framework_id, period)
        begun = target is not None and any(
            x.touched for x in self.assessments.answers(target.id).values()
        )
        if begun:
            return None  # never mix last year's answers into a form already begun
        prefer = current.id if current is not None else None
        return previous_assessment(self.assessments.all(), unit.code, period, prefer)

    def start_assessment_carrying_over(self, framework_id: str, period: str) -> Assessment:
        """Start (or reopen) the assessment of ``framework_id`` for ``period`` and copy into
        it every answer that fits (see :meth:`framework_change`) with its evidence links (the
        files are stored once, by content: nothing is copied); answers already present in the
        target are kept. Answers from an earlier period are marked "từ kỳ trước". The source
        assessment is not changed."""
        change = self.framework_change(framework_id, period)
        new = self.start_assessment(framework_id, period)
        if change is None:
            return new
        existing = {c for c, x in self.assessments.answers(new.id).items() if x.touched}
        with self.db.atomic():
            for ans in change.carried:
                if ans.code in existing:
                    continue
                self.assessments.save_answer(new.id, replace(ans, evidence=()))
                for e in ans.evidence:
                    self.assessments.link(new.id, ans.code, e.sha256, e.file_name, e.ref, e.note)
                if ans.carried_from:
                    self._audit(new, ans.code, "carried_over", None, f"từ kỳ {ans.carried_from}")
        return new

    def confirm_carried(self, code: str) -> Answer:
        """The officer reviewed an answer carried over from the last period: clear its mark."""
        a = self.require_assessment()
        old = self.answer(code)
        if not old.carried_from:
            return old
        self._check_unlocked(a)
        with self.db.atomic():
            self.assessments.set_carried_from(a.id, code, "")
            self._audit(a, code, "carried_over", f"từ kỳ {old.carried_from}", "đã xem lại")
        return self.answer(code)

    def current_assessment(self) -> Assessment | None:
        aid = self.settings.get("current_assessment")
        if aid is None:
            return None
        try:
            return self.assessments.get(int(aid))
        except NotFoundError:
            return None

    def previous_assessment(self) -> Assessment | None:
        """The current assessment's last period (:func:`previous_assessment`); ``None`` with
        no current assessment or no earlier period (a unit's first year)."""
        current = self.current_assessment()
        if current is None:
            return None
        return previous_assessment(self.assessments.all(), current.unit_code, current.period)

    def require_assessment(self) -> Assessment:
        a = self.current_assessment()
        if a is None:
            raise ParAppError(
                "Chưa có bản tự đánh giá. Hãy chọn bộ chỉ số và kỳ đánh giá "
                "(“parapp assess start MÃ_BỘ_CHỈ_SỐ --period NĂM”)."
            )
        return a

    def current_framework(self) -> Framework:
        return self.framework(self.require_assessment().framework_id)

    def answers(self) -> dict[str, Answer]:
        return self.assessments.answers(self.require_assessment().id)

    def answer(self, code: str) -> Answer:
        return self.answers().get(code, Answer(code=code))

    def rollup(self) -> Rollup:
        return rollup(self.current_framework(), self.answers())

    def _leaf(self, fw: Framework, code: str) -> Criterion:
        c = fw.by_code.get(code)
        if c is None:
            raise NotFoundError(f"Không có tiêu chí mã “{code}” trong bộ chỉ số {fw.id}.")
        if not fw.is_leaf(code):
            raise ValidationError(
                f"Tiêu chí {code} là tiêu chí tổng hợp; điểm được cộng từ các tiêu chí con."
            )
        return c

    def set_answer(
        self,
        code: str,
        *,
        value: float | None = _UNSET,
        numerator: float | None = _UNSET,
        denominator: float | None = _UNSET,
        self_score: float | None = _UNSET,
        explanation: str = _UNSET,
        not_applicable: bool = _UNSET,
    ) -> Answer:
        """Change some fields of one answer, apply the item's rule, validate, save.

        For a band rule the score follows from the measured value (entered directly or as
        numerator/denominator for a percentage); for yes/no it is the maximum or 0; a manual
        score must lie in 0..max on the framework's step. Survey-only items are refused.
        """
        a = self.require_assessment()
        fw = self.framework(a.framework_id)
        c = self._leaf(fw, code)
        if c.survey_only:
            raise ValidationError(
                f"Tiêu chí {code} được chấm qua điều tra xã hội học, đơn vị không tự chấm."
            )
        old = self.answers().get(code, Answer(code=code))
        new = replace(
            old,
            value=old.value if value is _UNSET else value,
            numerator=old.numerator if numerator is _UNSET else numerator,
            denominator=old.denominator if denominator is _UNSET else denominator,
            self_score=old.self_score if self_score is _UNSET else self_score,
            explanation=old.explanation if explanation is _UNSET else clean(explanation),
            not_applicable=old.not_applicable if not_applicable is _UNSET else bool(not_applicable),
            carried_from="",  # an edit is a review
        )
        if new.not_applicable and not c.rule.not_applicable:
            raise ValidationError(
                f"Tiêu chí {code} không có trường hợp “không áp dụng” trong bộ chỉ số."
            )
        new = apply_rule(c, new, fw.score_step, score_given=self_score is not _UNSET)
        self._check_unlocked(a)
        with self.db.atomic():
            self.assessments.save_answer(a.id, new)
            self._audit_answer(a, old, new)
        return self.answer(code)

    def restore_answer(self, answer: Answer) -> None:
        """Write back a previous answer verbatim (undo); evidence links are not touched."""
        a = self.require_assessment()
        self._check_unlocked(a)
        old = self.answers().get(answer.code, Answer(code=answer.code))
        with self.db.atomic():
            self.assessments.save_answer(a.id, answer)
            self._audit_answer(a, old, answer)

    # -- frozen revisions (submissions) ---------------------------------------------------
    def revisions(self) -> list[Revision]:
        """Every exported revision of the current assessment, oldest first."""
        return self._revisions.all(self.require_assessment().id)

    def last_revision(self) -> Revision | None:
        a = self.current_assessment()
        return self._revisions.last(a.id) if a is not None else None

    def record_revision(
        self,
        number: int,
        approver: str,
        approver_position: str,
        document: dict[str, Any],
        answers_digest: str,
        bundle_file: str,
        bundle_sha256: str,
        bundle_size: int,
        key_fingerprint: str,
    ) -> Revision:
        """Freeze revision ``number`` of the current assessment (or record that it was
        written again) and make it the assessment's current revision, in one transaction."""
        a = self.require_assessment()
        with self.db.atomic():
            self._revisions.save(
                a.id,
                number,
                approver,
                approver_position,
                document,
                answers_digest,
                bundle_file,
                bundle_sha256,
                bundle_size,
                key_fingerprint,
            )
            self.assessments.set_revision(a.id, number)
        rev = self._revisions.get(a.id, number)
        assert rev is not None
        return rev

    # -- evidence -------------------------------------------------------------------------
    def store_evidence_file(
        self, path: Path, progress: ProgressFn | None = None, cancel: CancelFn | None = None
    ) -> StoredFile:
        """Copy a file into the evidence store. Touches no database: safe in a worker thread."""
        return self.evidence.add(Path(path), progress, cancel)

    def link_evidence(
        self, code: str, stored: StoredFile, file_name: str, ref: str = "", note: str = ""
    ) -> EvidenceLink:
        a = self.require_assessment()
        self._leaf(self.framework(a.framework_id), code)
        self._check_unlocked(a)
        with self.db.atomic():
            self.assessments.register_file(stored.sha256, stored.size)
            link_id = self.assessments.link(
                a.id, code, stored.sha256, clean(file_name), clean(ref), clean(note)
            )
            self.assessments.set_carried_from(a.id, code, "")  # an edit is a review
            self._audit(a, code, "evidence", None, _link_text(clean(file_name), stored.sha256))
        return next(e for e in self.answer(code).evidence if e.id == link_id)

    def add_evidence(
        self,
        code: str,
        path: Path,
        ref: str = "",
        note: str = "",
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
    ) -> EvidenceLink:
        """Store and link in one call (CLI, tests)."""
        stored = self.store_evidence_file(path, progress, cancel)
        return self.link_evidence(code, stored, Path(path).name, ref, note)

    def update_evidence(self, link_id: int, ref: str, note: str) -> Changes:
        a = self.require_assessment()
        self._check_unlocked(a)
        before = self.assessments.get_link(link_id)
        with self.db.atomic():
            self.assessments.update_link(link_id, clean(ref), clean(note))
            self._audit(
                a,
                str(before["code"]),
                "evidence_note",
                {"ref": before["ref"], "note": before["note"]},
                {"ref": clean(ref), "note": clean(note)},
            )
        row = self.assessments.get_link(link_id)
        return Changes(codes=frozenset({str(row["code"])}), evidence=True)

    def unlink_evidence(self, link_id: int) -> dict[str, object]:
        """Remove a link; return its row so it can be restored (undo). The file stays stored."""
        a = self.require_assessment()
        self._check_unlocked(a)
        row = self.assessments.get_link(link_id)
        with self.db.atomic():
            self.assessments.unlink(link_id)
            self.assessments.set_carried_from(a.id, str(row["code"]), "")
            link = _link_text(str(row["file_name"]), str(row["sha256"]))
            self._audit(a, str(row["code"]), "evidence", link, None)
        return row

    def relink_evidence(self, row: dict[str, object]) -> None:
        a = self.require_assessment()
        self._check_unlocked(a)
        with self.db.atomic():
            self.assessments.restore_link(row)
            link = _link_text(str(row["file_name"]), str(row["sha256"]))
            self._audit(a, str(row["code"]), "evidence", None, link)

    # -- appraisal cycle hooks: period lock and audit trail ----------------------------------
    def _check_unlocked(self, a: Assessment) -> None:
        """Refuse any edit of a period the parent closed with a final appraisal."""
        lock = PeriodLocksRepo(self.db).get(a.unit_code, a.period)
        if lock is not None:
            raise ParAppError(
                lock_message(a.period, str(lock["final_created_at"] or lock["locked_at"]))
            )

    def _audit(self, a: Assessment, code: str, field: str, before: object, after: object) -> None:
        """Record one change; the reason is the parent's open request on the item, if any."""
        request = ReviewRequestsRepo(self.db).for_assessment(a.period, a.framework_id).get(code)
        reason = ""
        if request is not None and ReviewState(str(request["state"])).is_request:
            reason = f"Trả lời “{ReviewState(str(request['state'])).label}”: {request['note']}"
        actor = self.officer().get("name") or UNNAMED_ACTOR
        AuditRepo(self.db).add(actor, a.unit_code, a.period, code, field, before, after, reason)

    def _audit_answer(self, a: Assessment, old: Answer, new: Answer) -> None:
        before, after = _answer_fields(old), _answer_fields(new)
        if before != after:
            changed = {k for k in after if before[k] != after[k]}
            self._audit(
                a,
                new.code,
                "answer",
                {k: v for k, v in before.items() if k in changed},
                {k: v for k, v in after.items() if k in changed},
            )

    def evidence_path(self, sha256: str) -> Path:
        return self.evidence.path_for(sha256)

    def check_evidence(self, full: bool = True) -> list[tuple[str, str, str]]:
        """(code, file name, problem) for every linked file that is missing or corrupted."""
        out = []
        for code, ans in sorted(self.answers().items()):
            for e in ans.evidence:
                problem = (
                    self.evidence.check(e.sha256, e.size)
                    if full
                    else (None if self.evidence.has(e.sha256) else "tệp đã lưu bị mất")
                )
                if problem:
                    out.append((code, e.file_name, problem))
        return out

    # -- misc -----------------------------------------------------------------------------
    def last_item(self) -> str | None:
        code = self.settings.get("last_item")
        return str(code) if code else None

    def set_last_item(self, code: str) -> None:
        self.settings.set("last_item", code)

    def deadline(self) -> date | None:
        raw = self.settings.get("submission_deadline")
        return date.fromisoformat(raw) if raw else None

    def set_deadline(self, when: date | None) -> None:
        self.settings.set("submission_deadline", when.isoformat() if when else None)


def _answer_fields(a: Answer) -> dict[str, object]:
    """The audited fields of an answer (evidence is audited per link)."""
    return {
        "value": a.value,
        "numerator": a.numerator,
        "denominator": a.denominator,
        "self_score": a.self_score,
        "explanation": a.explanation,
    }


def _link_text(file_name: str, sha256: str) -> str:
    return f"{file_name} (sha256 {sha256[:12]}…)"


def apply_rule(c: Criterion, a: Answer, step: float, score_given: bool = False) -> Answer:
    """Derive and check the score of ``a`` under ``c``'s rule; raise on invalid input.

    A measured rule (bands, count, proportional) computes the score from the value (or from
    numerator/denominator for a rate); where the rule says nothing for that value (a band
    rule without "còn lại"), the officer's score is kept and checked like a manual one.
    """
    for label, v in (("Giá trị", a.value), ("Tử số", a.numerator), ("Mẫu số", a.denominator)):
        if v is not None and v < 0:
            raise ValidationError(f"Tiêu chí {c.code}: {label} không được âm ({format_number(v)}).")
    rule = c.rule
    kind = rule.kind
    if a.not_applicable:  # out of the applicable maximum: no score (the reason is required)
        return replace(a, self_score=None)
    computed: float | None = None
    if rule.measured:
        value = a.value
        if a.numerator is not None and a.denominator is not None:
            try:
                value = percentage(a.numerator, a.denominator)
            except ValidationError as err:
                raise ValidationError(f"Tiêu chí {c.code}: {err}") from err
        if kind is RuleKind.COUNT and value is not None and value != int(value):
            raise ValidationError(
                f"Tiêu chí {c.code}: số lượng phải là số nguyên ({format_number(value)})."
            )
        computed = computed_score(c.max_points, rule, value)
        score = a.self_score
        if computed is not None:
            score = computed
        elif value is not None and not score_given and a.value != value:
            score = None  # the rule is silent for the new value: the officer scores it
        a = replace(a, value=value, self_score=score)
    elif kind is RuleKind.YES_NO:
        if a.value is not None and a.value not in (0.0, 1.0):
            raise ValidationError(f"Tiêu chí {c.code}: chỉ chọn Có hoặc Không.")
        if a.value is not None:
            computed = computed_score(c.max_points, rule, a.value)
            a = replace(a, self_score=computed)
    if a.self_score is not None:
        entered_step = rule.step if rule.step is not None else step
        check_score(a.self_score, c.max_points, 0 if computed is not None else entered_step,
                    c.code, rule)  # fmt: skip
    return a
