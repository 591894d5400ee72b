"""ParApp: offline self-assessment, signed submission and appraisal of the PAR Index.

The package is layered (imports point one way): ``models`` <- ``storage`` <- ``interchange``
<- ``services`` <- ``cli`` / ``ui``. Only ``ui`` and ``app`` may import Qt.
"""

APP_NAME = "ParApp"

#: the one place the version is written (pyproject.toml reads it: ``dynamic = ["version"]``);
#: no ``importlib.metadata`` lookup, which costs a third of a second at every start
__version__ = "0.1.0"
