"""Every error `extract/` raises, under one base class.

Each message is one line that says what is wrong and what to do; the CLI prints it as is.
"""


class ExtractError(Exception):
    """Base class: the file could not be read as a grant report."""


class NotAPDFError(ExtractError):
    """The file is not a PDF (wrong signature, or empty)."""


class EncryptedPDFError(ExtractError):
    """The PDF is encrypted/password-protected."""


class NoTextLayerError(ExtractError):
    """The PDF has pages but no text layer (a scan)."""


class CorruptPDFError(ExtractError):
    """The PDF is truncated or damaged beyond what pdfminer can read."""


class EmptyPDFError(ExtractError):
    """The PDF has no pages."""


class NotAGrantReportError(ExtractError):
    """The PDF reads fine but holds no grant table."""


class SettingsError(ExtractError):
    """An extraction setting has an unknown name or a bad value."""
