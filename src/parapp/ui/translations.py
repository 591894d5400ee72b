"""Qt's own strings in Vietnamese: dialog buttons, file dialogs, text-field menus, wizards.

PySide6 ships no Vietnamese translation of Qt, so an officer would meet "OK", "Cancel",
"Look in:" in an otherwise Vietnamese app. ``resources/translations/qtbase_vi.ts`` is ours,
compiled by ``tools/build_translations.py`` with Qt's ``lrelease``; this loads it at start.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from parapp.models.errors import ParAppError
from parapp.resources import resource

QT_CATALOGUE = "qtbase_vi.qm"


def install_translations(app: QCoreApplication) -> QTranslator:
    """Load the Vietnamese Qt catalogue into ``app`` and make Vietnamese the default locale.

    A missing or unreadable catalogue is an installation defect: it raises rather than
    leaving the dialogs silently in English.
    """
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    existing = app.findChild(QTranslator, "parapp-qt-vi")
    if isinstance(existing, QTranslator):
        return existing
    translator = QTranslator(app)
    translator.setObjectName("parapp-qt-vi")
    path = resource("translations", QT_CATALOGUE)
    if not translator.load(str(path)):
        raise ParAppError(f"Không nạp được bản dịch giao diện “{path}”: hãy cài lại ParApp.")
    app.installTranslator(translator)
    return translator
