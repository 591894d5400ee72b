"""Domain errors. Every message is Vietnamese and says what went wrong and where.

User-facing code catches :class:`ParAppError` and shows ``str(error)``; anything else is a bug.
"""

from __future__ import annotations


class ParAppError(Exception):
    """Base of every error a user can cause (bad data, wrong file, wrong passphrase...)."""


class ValidationError(ParAppError):
    """Data breaks a rule of the domain (a score above the maximum, a broken tree...).

    ``problems`` holds every problem found, so a user can fix them all in one go.
    """

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class SheetError(ParAppError):
    """A problem at a specific place of a spreadsheet (sheet, row, column)."""

    def __init__(self, sheet: str, row: int | None, column: str | None, problem: str) -> None:
        self.sheet, self.row, self.column, self.problem = sheet, row, column, problem
        where = f"Trang tính “{sheet}”"
        if row is not None:
            where += f", dòng {row}"
        if column is not None:
            where += f", cột {column}"
        super().__init__(f"{where}: {problem}")


class ImportErrors(ParAppError):
    """Several :class:`SheetError`; an import with any of them imports nothing."""

    def __init__(self, errors: list[SheetError]) -> None:
        self.errors = list(errors)
        head = f"Không nhập được: có {len(self.errors)} lỗi, chưa có gì được thay đổi."
        super().__init__("\n".join([head, *(str(e) for e in self.errors[:50])]))


class NotFoundError(ParAppError):
    """Something named by the user does not exist (a unit code, a framework id...)."""


class WorkspaceError(ParAppError):
    """The workspace cannot be opened or changed (newer schema, missing, locked...)."""


class Cancelled(ParAppError):
    """The user cancelled a long operation; nothing was changed or left behind.

    One type for every layer (the evidence store, the bundle writer, backup, imports), so the
    UI's workers and dialogs catch one thing; each layer words its own message.
    """

    def __init__(self, message: str = "Đã hủy thao tác; không có gì thay đổi.") -> None:
        super().__init__(message)


class WrongPassphrase(ParAppError):
    """A passphrase does not open a secret key (the UI asks again)."""

    def __init__(self, message: str = "Mật khẩu không đúng.") -> None:
        super().__init__(message)
