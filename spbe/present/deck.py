"""The briefing deck of a year: the press kit's charts as a 16:9 PowerPoint file (python-pptx).

A title slide (the index and year, the lead paragraph of the press release, the date made, where the year's numbers
come from), one slide per chart in kit order (its title, its PNG laid out for its place (picture_preset), its
caption under it; the caption, source and provenance again in the speaker notes) and a last slide with the sources,
each once. A slide whose numbers are simulated carries the same "SIMULASI – bukan data resmi" mark as the image.

python-pptx does not measure text, so each text box is sized from the lines figures.wrap estimates for it (the
generous glyph width the charts are laid out with), word wrap on; fonts stay at projection sizes (titles 28 pt
or more, other text 14 pt or more) and the picture takes what room is left.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.parts.coreprops import CorePropertiesPart
from pptx.presentation import Presentation as PresentationFile
from pptx.slide import Slide
from pptx.text.text import TextFrame
from pptx.util import Emu, Inches, Length, Pt

from spbe.data.store import Store
from spbe.model.provenance import Provenance
from spbe.present.charts import lead_paragraph
from spbe.present.export import Preset
from spbe.present.figures import (
    MUTED_COLOR,
    PROVENANCE_LABELS,
    SIMULATION_NOTE,
    TARGET_COLOR,
    Chart,
    index_name,
    wrap,
)

DECK_FORMAT = "pptx"
# Each chart is laid out for its picture's place on its slide (the full width between the title and the caption),
# 1200 CSS px wide at scale 2, rather than shrunk from the 1600 x 900 px slide image: across 12,5 in its 14 px texts
# project at about 10 pt, where the shrunk image gave 6 pt.
PICTURE_WIDTH_PX = 1200
PICTURE_SCALE = 2
MIN_PICTURE_PX = 470  # the least height a chart's canvas should get: the 2018 tile map's labels need about 470
MIME_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
MAKER = "Dasbor SPBE"

SLIDE_WIDTH, SLIDE_HEIGHT = Emu(12_192_000), Emu(6_858_000)  # 13,333 x 7,5 in, PowerPoint's own 16:9
MARGIN = Inches(0.4)
GAP = Inches(0.1)
INSET = Inches(0.1)  # python-pptx's default text frame inset, left and right (0,05 in top and bottom)
TITLE_PT = 28
COVER_TITLE_PT = 40
TEXT_PT = 18
SMALLEST_PT = 14  # the smallest text a projected slide may carry
LINE_PITCH = 1.25  # line height per point of font size, a little more than PowerPoint's 1,2
TITLE_ONLY_LAYOUT = 5  # of python-pptx's default template: a title placeholder and nothing else
MARK_WIDTH = Inches(3.9)  # "SIMULASI – bukan data resmi" at 16 pt bold, estimated generously
MARK_PT = 16


# python-pptx leaves its colour constructor untyped; this is its signature ("b2182b" -> the colour)
_rgb: Callable[[str], RGBColor] = RGBColor.from_string


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide, in EMU."""

    left: int
    top: int
    width: int
    height: int


def deck_file_name(year: int) -> str:
    return f"paparan_spbe_{year}.pptx"


def deck_bytes(
    store: Store,
    year: int,
    charts: Sequence[Chart],
    pictures: Sequence[bytes],
    sources: Sequence[str],
    *,
    made_on: date | None = None,
) -> bytes:
    """The deck: a title slide, one slide per chart with its PNG at its picture_preset (`pictures`, in chart order)
    and a slide of `sources`."""
    if len(pictures) != len(charts):
        raise ValueError(f"{len(charts)} grafik, tetapi {len(pictures)} gambar")
    made_on = made_on or date.today()
    title = f"{index_name(store.framework(year).index_scale)} {year}: bahan paparan"
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    _describe(deck.core_properties, title, made_on)
    _cover_slide(_new_slide(deck), store, year, title, made_on)
    for chart, picture in zip(charts, pictures, strict=True):
        _chart_slide(_new_slide(deck), chart, picture)
    _sources_slide(_new_slide(deck), sources, made_on)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _describe(properties: CorePropertiesPart, title: str, made_on: date) -> None:
    """The file's own properties: python-pptx's template would otherwise name its author and a 2013 date."""
    properties.title = title
    properties.author = properties.last_modified_by = MAKER
    properties.comments = f"Diolah: {MAKER}, {made_on.strftime('%d-%m-%Y')}"
    properties.created = properties.modified = datetime(made_on.year, made_on.month, made_on.day)
    properties.revision = 1


def _new_slide(deck: PresentationFile) -> Slide:
    slide: Slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT])  # python-pptx types it as Any
    return slide


def _cover_slide(slide: Slide, store: Store, year: int, title: str, made_on: date) -> None:
    """Title, lead paragraph, the provenance of the year's numbers and the date made, top to bottom."""
    summary = store.summary(year)
    whose = f"hasil per instansi {year}" if summary.grain != "national" else f"angka {year}"
    texts = [
        (lead_paragraph(store, year), TEXT_PT + 2, None),
        (f"Asal data {whose}: {PROVENANCE_LABELS[summary.provenance]}", TEXT_PT, _marked(summary.provenance)),
        (f"Diolah: {MAKER}, {made_on.strftime('%d-%m-%Y')}", TEXT_PT, MUTED_COLOR),
    ]
    width = SLIDE_WIDTH - 2 * MARGIN
    top = _mark(slide) + GAP if summary.provenance.has_simulation else Inches(1.2)
    top = _place_title(slide, title, Box(MARGIN, top, width, 0), COVER_TITLE_PT) + Inches(0.3)
    for text, size, colour in texts:
        height = _text_height([text], width, size)
        _paragraphs(_textbox(slide, Box(MARGIN, top, width, height)), [text], size, colour)
        top += height + GAP


def _marked(provenance: Provenance) -> str | None:
    """The colour of a provenance that must be marked as simulation; None for the others."""
    return TARGET_COLOR if provenance.has_simulation else None


@dataclass(frozen=True)
class ChartSlide:
    """Where a chart slide puts its title, its picture and its caption (at caption_pt points)."""

    title: Box
    picture: Box
    caption: Box
    caption_pt: int


def chart_slide_layout(chart: Chart) -> ChartSlide:
    """The title across the top, the caption at the bottom (ending in the SIMULASI mark where the chart is
    simulated), and the picture across the full width between them. The caption takes the largest size that keeps
    it to three lines and leaves the picture MIN_PICTURE_PX high; 14 pt where none does.

    The mark ends the caption rather than standing beside the title: a title narrowed for it took a third line,
    and the picture lost the height a tile map needs for its labels."""
    width = SLIDE_WIDTH - 2 * MARGIN
    title = Box(MARGIN, Inches(0.25), width, _text_height([chart.meta.title], width, TITLE_PT))
    top = title.top + title.height + GAP
    text = " ".join(part for part in _caption_parts(chart) if part)

    def layout(size: int) -> ChartSlide:
        height = _text_height([text], width, size)
        caption = Box(MARGIN, SLIDE_HEIGHT - MARGIN - height, width, height)
        return ChartSlide(title, Box(MARGIN, top, width, caption.top - GAP - top), caption, size)

    def fits(slide: ChartSlide) -> bool:
        tall_enough = slide.picture.height * PICTURE_WIDTH_PX >= MIN_PICTURE_PX * slide.picture.width
        return len(_lines([text], width, slide.caption_pt)) <= 3 and tall_enough

    return next((slide for slide in map(layout, (TEXT_PT, 16)) if fits(slide)), layout(SMALLEST_PT))


def _caption_parts(chart: Chart) -> tuple[str, str | None]:
    """The caption, and the SIMULASI mark that replaces its closing note on simulation where the chart is
    simulated (None where it is not)."""
    if not chart.meta.provenance.has_simulation:
        return chart.caption, None
    return chart.caption.removesuffix(SIMULATION_NOTE).rstrip(), f"{PROVENANCE_LABELS[Provenance.SIMULASI]}."


def picture_preset(chart: Chart) -> Preset:
    """The canvas a chart is laid out on for its slide: PICTURE_WIDTH_PX wide, as high as its place's shape asks."""
    place = chart_slide_layout(chart).picture
    height = round(PICTURE_WIDTH_PX * place.height / place.width)
    return Preset("paparan", "Paparan", PICTURE_WIDTH_PX, height, PICTURE_SCALE)


def _chart_slide(slide: Slide, chart: Chart, picture: bytes) -> None:
    """Title, the chart's picture (laid out for its place by picture_preset) and its caption under it."""
    layout = chart_slide_layout(chart)
    _place_title(slide, chart.meta.title, layout.title, TITLE_PT)
    text, mark = _caption_parts(chart)
    caption = _textbox(slide, layout.caption)
    _paragraphs(caption, [text], layout.caption_pt, None)
    if mark is not None:  # red and bold, as the mark on the images
        run = caption.paragraphs[0].add_run()
        run.text = f" {mark}"
        run.font.size, run.font.bold, run.font.color.rgb = Pt(layout.caption_pt), True, _rgb(TARGET_COLOR.lstrip("#"))
    place = layout.picture
    shape = slide.shapes.add_picture(io.BytesIO(picture), Emu(place.left), Emu(place.top), Emu(place.width))
    # The alternative text a screen reader says for the picture: python-pptx has no setter for it
    for properties in shape._element.iter(qn("p:cNvPr")):
        properties.set("descr", f"{chart.meta.title}. {chart.caption}")
    notes = slide.notes_slide.notes_text_frame
    assert notes is not None  # the notes master of python-pptx's template has a notes placeholder
    provenance = PROVENANCE_LABELS[chart.meta.provenance]
    notes.text = "\n".join([chart.caption, f"Sumber: {chart.meta.source}", f"Asal data: {provenance}"])


def _sources_slide(slide: Slide, sources: Sequence[str], made_on: date) -> None:
    """Every source once, one paragraph each, at the largest size whose estimated lines fit the slide."""
    width = SLIDE_WIDTH - 2 * MARGIN
    top = _place_title(slide, "Sumber", Box(MARGIN, Inches(0.25), width, 0), TITLE_PT) + GAP
    texts = [f"• {source}" for source in sources] + [f"Diolah: {MAKER}, {made_on.strftime('%d-%m-%Y')}."]
    room = SLIDE_HEIGHT - MARGIN - top
    fits = (pt for pt in (TEXT_PT, 16) if _text_height(texts, width, pt) + len(texts) * Pt(pt // 2) <= room)
    size = next(fits, SMALLEST_PT)
    frame = _textbox(slide, Box(MARGIN, top, width, room))
    _paragraphs(frame, texts, size, None)
    for paragraph in frame.paragraphs:
        paragraph.space_after = Pt(size // 2)  # half a line between two sources
    # More sources than fit at 14 pt (none of the years so far): PowerPoint shrinks the text rather than spill it
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE


def _mark(slide: Slide) -> int:
    """The SIMULASI mark in the top right corner, drawn as on the images; returns its bottom edge."""
    box = Box(SLIDE_WIDTH - MARGIN - MARK_WIDTH, Inches(0.3), MARK_WIDTH, Inches(0.5))
    shape = slide.shapes.add_textbox(Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height))
    shape.line.color.rgb = _rgb(TARGET_COLOR.lstrip("#"))
    shape.line.width = Pt(1.5)
    frame = shape.text_frame
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    _paragraphs(frame, [PROVENANCE_LABELS[Provenance.SIMULASI]], MARK_PT, TARGET_COLOR, bold=True)
    frame.paragraphs[0].alignment = PP_ALIGN.CENTER
    return box.top + box.height


def _place_title(slide: Slide, text: str, box: Box, size: int) -> int:
    """The layout's title placeholder moved to `box` (its height from the text), left aligned; returns its bottom."""
    title = slide.shapes.title
    assert title is not None  # the title-only layout has one
    height = _text_height([text], box.width, size)
    title.left, title.top, title.width, title.height = Emu(box.left), Emu(box.top), Emu(box.width), Emu(height)
    frame = title.text_frame
    frame.vertical_anchor = MSO_ANCHOR.TOP
    _paragraphs(frame, [text], size, None, bold=True)
    return box.top + height


def _paragraphs(frame: TextFrame, texts: Sequence[str], size: int, colour: str | None, *, bold: bool = False) -> None:
    """One paragraph per text, wrapped within the frame, at `size` points."""
    frame.word_wrap = True
    frame.text = "\n".join(texts)  # a paragraph per line
    for paragraph in frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.bold = bold
            if colour:
                run.font.color.rgb = _rgb(colour.lstrip("#"))


def _textbox(slide: Slide, box: Box) -> TextFrame:
    frame: TextFrame = slide.shapes.add_textbox(Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height)).text_frame
    return frame


def _lines(texts: Sequence[str], width: int, size: int) -> list[str]:
    """The lines the texts wrap to in a frame `width` EMU wide at `size` points (estimated, generously)."""
    points = Length(width - 2 * INSET).pt
    return [line for text in texts for line in wrap(text, points, size)]


def _text_height(texts: Sequence[str], width: int, size: int) -> int:
    """Height (EMU) of a frame that holds the texts' lines at `size` points, with its insets."""
    return int(Pt(len(_lines(texts, width, size)) * size * LINE_PITCH)) + Inches(0.1)
