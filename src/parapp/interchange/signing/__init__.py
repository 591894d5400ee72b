"""Legal (X.509) signatures: PAdES on PDFs, detached CMS on a bundle's tag manifest, and
their verification against the office's trust store. See ``docs/x509-signing.md``."""

import logging

# pyHanko logs a traceback for every certificate it cannot chain; ParApp reports the same
# fact to the user in Vietnamese, so those records must not reach stderr by Python's
# last-resort handler (an application that configures logging still receives them).
logging.getLogger("pyhanko").addHandler(logging.NullHandler())
logging.getLogger("pyhanko_certvalidator").addHandler(logging.NullHandler())
