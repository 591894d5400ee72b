"""ParApp: offline self-assessment, signed submission and appraisal of the PAR Index.

The package is layered (imports point one way): ``models`` <- ``storage`` <- ``interchange``
<- ``services`` <- ``cli`` / ``ui``. Only ``ui`` and ``app`` may import Qt.
"""

from importlib.metadata import PackageNotFoundError, version

APP_NAME = "ParApp"

try:
    __version__ = version("parapp")
except PackageNotFoundError:  # running from a frozen app or a source tree without install
    __version__ = "0.1.0"
