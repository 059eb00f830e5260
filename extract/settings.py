"""The knobs of extraction, as one validated dataclass (STYLE §5)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Mapping

from .errors import SettingsError


@dataclass(frozen=True)
class ExtractSettings:
    """How words become lines, tables and paragraphs. Lengths are in PDF points or in ems
    (multiples of the body font size), so they hold for any page size or font."""

    x_tolerance: float = 2.0  # pdfplumber: max gap (pt) between chars of one word
    y_tolerance: float = 2.5  # pdfplumber: max vertical offset (pt) within one word
    line_overlap: float = 0.5  # words share a line when their middles are this close (× height)
    column_gap_em: float = 0.9  # a gap this wide (ems) between words can separate table cells
    margin_fraction: float = 0.1  # top/bottom page band where running headers/page numbers sit
    paragraph_gap: float = 1.45  # a vertical step > this × line pitch starts a paragraph
    row_gap: float = 1.3  # a gap > this × line pitch inside a table separates rows
    min_text_chars: int = 20  # fewer chars than this in the whole PDF: treat as "no text layer"
    heading_size_ratio: float = 1.08  # words this much larger than body text are heading text

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise SettingsError(f"setting {f.name!r} must be a number, got {value!r}")
            if value < 0:
                raise SettingsError(f"setting {f.name!r} must be >= 0, got {value!r}")
        if not 0 < self.margin_fraction < 0.5:
            raise SettingsError(
                f"setting 'margin_fraction' must be between 0 and 0.5, got {self.margin_fraction!r}")

    @classmethod
    def resolve(cls, value: "ExtractSettings | Mapping[str, Any] | None") -> "ExtractSettings":
        """Settings from None (defaults), a dict (unknown keys are an error) or an instance."""
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        if isinstance(value, Mapping):
            known = {f.name for f in fields(cls)}
            for key in value:
                if key not in known:
                    raise SettingsError(
                        f"unknown extract setting {key!r}: use one of {', '.join(sorted(known))}")
            return cls(**value)
        raise SettingsError(f"settings must be ExtractSettings or a dict, got {type(value).__name__}")
