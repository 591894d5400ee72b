"""Qt user interface. The only package (with ``parapp.app``) allowed to import PySide6."""
