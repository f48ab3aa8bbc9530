"""The report's PDF drawn page by page, so a long report does not hold every page at once.

WeasyPrint's own `write_pdf` lays out every page (for "Page N of M"), then draws them all, then
builds the PDF/UA structure tree from all their boxes, then writes every PDF object: peak memory
grows with the page count (about 0.65 MiB a page for the report). Here the same layout engine and
the same drawing and tagging code run one page at a time:

1. each page is laid out by WeasyPrint's `make_all_pages` (the same pagination as one document:
   one layout context, one formatting structure), drawn into its own content stream, and its part
   of the structure tree is built with WeasyPrint's `_build_box_tree`, exactly as `add_tags` does
   per page;
2. the page's PDF objects are then serialised (its dictionaries packed into one compressed object
   stream, its content stream compressed) and its boxes dropped, as are the parts of the source
   box tree that are wholly on finished pages;
3. when the last page is laid out the total is known, and each page's margin boxes (running
   header and "Page N of M") are laid out by WeasyPrint's `make_margin_boxes` and drawn as a
   second, small content stream on that page, marked as an artifact (pagination furniture, which
   PDF/UA wants outside the structure tree);
4. fonts (one subset for the whole report), bookmarks, metadata and the PDF/UA metadata are added
   as WeasyPrint's `generate_pdf` adds them, and the file is written.

Anything this does not handle (a document needing WeasyPrint's repagination, fixed-position
boxes, forms, attachments, links to anchors that do not exist) raises `CannotDrawByPage`;
`reporting.rendering.render_pdf` then renders the document whole. The WeasyPrint internals used
are pinned by `tests/reporting/test_paged.py`.
"""

import io
from array import array

import pydyf
from tinycss2.color5 import D50, D65
from weasyprint import DEFAULT_OPTIONS, VERSION
from weasyprint.css.counters import CounterStyle
from weasyprint.document import Document, DocumentMetadata, Page
from weasyprint.draw import draw_page
from weasyprint.formatting_structure import boxes
from weasyprint.formatting_structure.build import build_formatting_structure
from weasyprint.html import get_html_metadata
from weasyprint.layout import initialize_page_maker, layout_backgrounds, make_margin_boxes
from weasyprint.layout.background import layout_box_backgrounds
from weasyprint.layout.page import make_all_pages
from weasyprint.matrix import Matrix
from weasyprint.pdf import VARIANTS, _use_references, _w3c_date_to_pdf
from weasyprint.pdf.anchors import add_links, add_outlines
from weasyprint.pdf.fonts import build_fonts_dictionary
from weasyprint.pdf.stream import Stream
from weasyprint.pdf.tags import _build_box_tree
from weasyprint.text.fonts import FontConfiguration

VARIANT = "pdf/ua-1"


class CannotDrawByPage(Exception):
    """The document uses something only WeasyPrint's whole-document path handles."""


class _Written(pydyf.Object):
    """An object already serialised: only its bytes are kept."""

    def __init__(self, obj, data=None):
        super().__init__()
        self.number = obj.number
        self._data = obj.data if data is None else data

    @property
    def data(self):
        return self._data

    @property
    def compressible(self):
        return False


class _PackedObject(pydyf.Object):
    """Stands in the object list for every object stored in a per-page object stream; where
    each one is lives in PagedPDF's compact `_packed` array, not in an object of its own."""

    @property
    def compressible(self):
        return False


_PACKED = _PackedObject()


class PagedPDF(pydyf.PDF):
    """pydyf's PDF, with finished objects serialised as they are finished.

    `seal(start, keep)` packs the dictionaries added since object `start` into one compressed
    object stream and compresses the streams; objects in `keep` (they change later: page
    dictionaries, annotations) stay live. `write` is pydyf's compressed writer, with an xref entry
    for each packed object pointing into its object stream."""

    def __init__(self):
        # For each object number: (object stream number << 16 | index) + 1 if packed, else 0.
        self._packed = array("Q")
        super().__init__()

    def add_object(self, object_):
        super().add_object(object_)
        self._packed.append(0)

    def seal(self, start: int, keep: set[int]) -> None:
        end = len(self.objects)
        packed, offsets, position = [], [], 0
        for number in range(start, end):
            obj = self.objects[number]
            if id(obj) in keep or obj is _PACKED or isinstance(obj, _Written):
                continue
            if obj.compressible:
                data = obj.data
                offsets += (number, position)
                packed.append(data)
                position += len(data) + 1
                self.objects[number] = None  # replaced below once the stream has a number
            else:
                self.objects[number] = _Written(obj)
        if not packed:
            return
        header = " ".join(str(value) for value in offsets)
        stream = pydyf.Stream(
            [header, *packed],
            {"Type": "/ObjStm", "N": len(packed), "First": len(header) + 1},
            compress=True,
        )
        self.add_object(stream)
        if len(packed) >= 1 << 16:
            raise CannotDrawByPage("Too many objects on one page.")
        for index, number in enumerate(offsets[::2]):
            self.objects[number] = _PACKED
            self._packed[number] = (stream.number << 16 | index) + 1
        self.objects[stream.number] = _Written(stream)

    def write(self, output, version=b"1.7", identifier=False, compress=True):
        if identifier or not compress:
            raise CannotDrawByPage("Only a compressed PDF without an identifier is written.")
        version = pydyf._to_bytes(version or b"1.7")
        if self.info:
            self.add_object(self.info)
        self.write_line(b"%PDF-" + version, output)
        self.write_line(b"%\xf0\x9f\x96\xa4", output)

        compressed = []
        for obj in self.objects:
            if obj.free == "f" or obj is _PACKED:
                continue
            if obj.compressible:
                compressed.append(obj)
            else:
                obj.offset = self.current_position
                self.write_line(obj.indirect, output)

        stream, position = [[]], 0
        for obj in compressed:
            data = obj.data
            stream.append(data)
            stream[0] += (obj.number, position)
            position += len(data) + 1
        stream[0] = " ".join(str(value) for value in stream[0])
        extra = {"Type": "/ObjStm", "N": len(compressed), "First": len(stream[0]) + 1}
        object_stream = pydyf.Stream(stream, extra, compress)
        object_stream.offset = self.current_position
        self.add_object(object_stream)
        self.write_line(object_stream.indirect, output)

        # The cross-reference stream, written entry by entry (a list of tuples would cost more
        # than the rest of the file at this point). Field widths are fixed: 4 bytes for offsets
        # and object stream numbers, 2 for generations and indexes.
        lengths = (1, 4, 2)
        if self.current_position >= 1 << 32 or len(compressed) >= 1 << 16:
            raise CannotDrawByPage("The file is too large for this cross-reference layout.")
        xref_stream = bytearray()
        last_index = 0
        for number, obj in enumerate(self.objects):
            if obj is _PACKED:
                where = self._packed[number] - 1
                entry = (2, where >> 16, where & 0xFFFF)
            elif obj.compressible:
                entry = (2, object_stream.number, last_index)
                last_index += 1
            else:
                entry = (int(bool(obj.number)), obj.offset, obj.generation)
            for length, value in zip(lengths, entry, strict=True):
                xref_stream += value.to_bytes(length, "big")
        xref_stream += (1).to_bytes(1, "big") + self.current_position.to_bytes(4, "big")
        xref_stream += (0).to_bytes(2, "big")
        extra = {
            "Type": "/XRef",
            "Index": pydyf.Array((0, len(self.objects) + 1)),
            "W": pydyf.Array(lengths),
            "Size": len(self.objects) + 1,
            "Root": self.catalog.reference,
        }
        if self.info:
            extra["Info"] = self.info.reference
        dict_stream = pydyf.Stream([bytes(xref_stream)], extra, compress)
        self.xref_position = dict_stream.offset = self.current_position
        self.add_object(dict_stream)
        self.write_line(dict_stream.indirect, output)
        self.write_line(b"startxref", output)
        self.write_line(f"{self.xref_position}".encode(), output)
        self.write_line(b"%%EOF", output)


def _options() -> dict:
    options = dict(DEFAULT_OPTIONS, pdf_variant=VARIANT)
    _, properties = VARIANTS[VARIANT]
    for key, value in tuple(options.items()):
        if value is None and key in properties:
            options[key] = properties[key]
    return options


def _drop(box) -> None:
    """Free a laid-out source subtree. Tables keep their row groups and rows (table layout
    counts them) and their header and footer groups (repeated on every page)."""
    if isinstance(box, boxes.TableRowGroupBox) and (box.is_header or box.is_footer):
        return
    if isinstance(box, (boxes.TableBox, boxes.TableRowGroupBox, boxes.TableRowBox)):
        for child in box.children:
            _drop(child)
    elif isinstance(box, boxes.ParentBox):
        box.children = []


def _prune(box, skip_stack) -> None:
    """Drop the source boxes wholly laid out on finished pages.

    `skip_stack` is where the next page resumes (`{child index: child's skip stack}`): every
    child before that index is finished. Only block containers of blocks and tables are walked
    into; a paragraph, a flex or grid container, or a table with cells spanning rows is left as
    it is (its skip stack means something else, or later rows need earlier ones)."""
    if not skip_stack or len(skip_stack) != 1:
        return
    ((index, child_stack),) = skip_stack.items()
    if isinstance(box, boxes.TableBox):
        if any(
            cell.rowspan != 1
            for group in box.children
            for row in group.children
            for cell in row.children
        ):
            return
    elif not isinstance(box, boxes.TableRowGroupBox) and (
        type(box) is not boxes.BlockBox
        or any(isinstance(child, boxes.LineBox) for child in box.children)
    ):
        return
    for child in box.children[:index]:
        _drop(child)
    if child_stack and index < len(box.children) and not isinstance(box, boxes.TableRowGroupBox):
        _prune(box.children[index], child_stack)


def _color_space(pdf):
    """As WeasyPrint's generate_pdf: the Lab colour spaces (no ICC profiles: see write_pdf)."""
    color_space = pydyf.Dictionary(
        {
            "lab-d50": pydyf.Array(
                (
                    "/Lab",
                    pydyf.Dictionary(
                        {
                            "WhitePoint": pydyf.Array(D50),
                            "Range": pydyf.Array((-125, 125, -125, 125)),
                        }
                    ),
                )
            ),
            "lab-d65": pydyf.Array(
                (
                    "/Lab",
                    pydyf.Dictionary(
                        {
                            "WhitePoint": pydyf.Array(D65),
                            "Range": pydyf.Array((-125, 125, -125, 125)),
                        }
                    ),
                )
            ),
        }
    )
    pdf.add_object(color_space)
    return color_space


class _Bookmarks:
    """layout_document's rule: one bookmark per original box, even when it spans pages."""

    def __init__(self):
        self.seen = {"::before": [], "::after": [], "": []}

    def page(self, page_box, context, page_number):
        for child in page_box.descendants():
            if child.bookmark_label:
                tag = child.element_tag
                key = (
                    "::before"
                    if tag.endswith("::before")
                    else "::after"
                    if tag.endswith("::after")
                    else ""
                )
                if child.element in self.seen[key]:
                    child.bookmark_label = ""
                else:
                    self.seen[key].append(child.element)
            if child.missing_link:
                raise CannotDrawByPage("Page-based counters in content need the whole document.")
            string_sets = child.string_set
            if string_sets and string_sets != "none":
                for string_name, text in string_sets:
                    context.string_set[string_name][page_number].append(text)


def write_pdf(html) -> bytes:
    """The tagged PDF/UA-1 of a WeasyPrint `HTML`, laid out and drawn one page at a time."""
    options = _options()
    compress = not options["uncompressed_pdf"]
    scale = 0.75  # 72 PDF points per inch / 96 CSS pixels per inch, zoom 1
    if options["attachments"] or options["xmp_metadata"]:
        raise CannotDrawByPage("Attachments and extra XMP are not drawn by page.")

    font_config, counter_style, color_profiles = FontConfiguration(), CounterStyle(), {}
    context = Document._build_layout_context(
        html, font_config, counter_style, color_profiles, options
    )
    root_box = build_formatting_structure(
        html.etree_element,
        context.style_for,
        context.get_image_from_uri,
        html.base_url,
        context.target_collector,
        counter_style,
        context.footnotes,
    )
    metadata = DocumentMetadata(**get_html_metadata(html))
    if metadata.attachments:
        raise CannotDrawByPage("Attachments are not drawn by page.")
    if color_profiles or options["output_intent"]:
        # generate_pdf embeds ICC profiles and an output intent; the report uses neither.
        raise CannotDrawByPage("Colour profiles and output intents are not drawn by page.")
    document = Document(
        [], metadata, html.url_fetcher, font_config, color_profiles, options["output_intent"]
    )

    pdf = PagedPDF()
    images = {}
    color_space = _color_space(pdf)
    resources = pydyf.Dictionary(
        {
            "ExtGState": pydyf.Dictionary(),
            "XObject": pydyf.Dictionary(),
            "Pattern": pydyf.Dictionary(),
            "Shading": pydyf.Dictionary(),
            "ColorSpace": color_space.reference,
        }
    )
    pdf.add_object(resources)

    # The structure tree's root, as WeasyPrint's add_tags makes it.
    parent_tree = pydyf.Dictionary({"Nums": pydyf.Array()})
    pdf.add_object(parent_tree)
    structure_root = pydyf.Dictionary(
        {"Type": "/StructTreeRoot", "ParentTree": parent_tree.reference}
    )
    pdf.add_object(structure_root)
    structure_document = pydyf.Dictionary(
        {"Type": "/StructElem", "S": "/Document", "K": pydyf.Array(), "P": structure_root.reference}
    )
    pdf.add_object(structure_document)
    structure_root["K"] = pydyf.Array([structure_document.reference])
    pdf.catalog["StructTreeRoot"] = structure_root.reference

    keep = {id(obj) for obj in pdf.objects if obj is not None}
    pdf_pages, margin_pages, annotations, names = [], [], [], []
    anchors_seen, internal_targets = set(), set()
    bookmarks = _Bookmarks()

    initialize_page_maker(context, root_box)
    for page_number, page_box in enumerate(make_all_pages(context, root_box, html, [])):
        first_object = len(pdf.objects)
        resume_at = context.page_maker[page_number + 1][0]
        bookmarks.page(page_box, context, page_number + 1)
        if page_box.fixed_boxes:
            raise CannotDrawByPage("Fixed boxes repeat on every page.")
        root, footnote_area, note_area = page_box.children
        page_box.children = tuple(
            [root]
            + ([footnote_area] if footnote_area.children else [])
            + ([note_area] if note_area.children else [])
        )
        # The margin boxes are laid out once the total is known; keep the page box alone.
        margin_pages.append(page_box.copy_with_children([]))
        layout_backgrounds(page_box, context.get_image_from_uri)
        page = Page(page_box)
        if any(page.forms.values()):
            raise CannotDrawByPage("Forms are not drawn by page.")

        tags = {}
        stream, pdf_page = _page_objects(
            pdf, document, page, resources, images, tags, scale, compress
        )
        pdf_page["Tabs"] = "/S"
        pdf_page["StructParents"] = page_number
        pdf.add_page(pdf_page)
        pdf_pages.append(pdf_page)
        keep.add(id(pdf_page))

        links, anchors = _page_links(page, anchors_seen, internal_targets)
        matrix = _matrix(page, scale)
        add_links((links, anchors), matrix, pdf, pdf_page, names, tags)
        page.paint(stream, scale)
        _set_boxes(pdf_page, page, scale)

        # This page's part of the structure tree (add_tags' loop body).
        page_nums = {}
        for element in _build_box_tree(
            page_box, structure_document, pdf, page_number, page_nums, annotations, tags
        ):
            structure_document["K"].append(element.reference)
        if tags:
            raise CannotDrawByPage("Some marked content has no place in the structure tree.")
        # The page's MCID-to-element array, as an object of its own so that it is sealed with
        # the page (WeasyPrint writes it inline in the parent tree; both are valid).
        page_parents = pydyf.Array(ref for _, ref in sorted(page_nums.items()))
        pdf.add_object(page_parents)
        parent_tree["Nums"].append(page_number)
        parent_tree["Nums"].append(page_parents.reference)
        keep.update(id(annotation) for _, annotation in annotations)

        # Only the bookmarks are needed from here on; the links hold this page's boxes.
        page._page_box, page.links = None, []
        document.pages.append(page)
        del page_box, root, stream, tags, page_nums
        pdf.seal(first_object, keep)
        _prune(root_box, resume_at)

    for page_state in context.page_maker:
        remake = page_state[-1]
        if remake["content_changed"] or remake["pages_wanted"]:
            raise CannotDrawByPage("The document needs WeasyPrint's repagination.")
    if internal_targets - anchors_seen:
        raise CannotDrawByPage("A link points to an anchor that does not exist.")

    # The margin boxes, now that "Page N of M" can be known.
    total = len(document.pages)
    for page_number, margin_page in enumerate(margin_pages):
        first_object = len(pdf.objects)
        context.current_page = page_number + 1
        state = context.page_maker[page_number + 1][3]
        state[1]["pages"] = [total]
        margin_page.children = tuple(make_margin_boxes(context, margin_page, state))
        for margin_box in margin_page.children:
            layout_box_backgrounds(margin_page, margin_box, context.get_image_from_uri)
        # The page's own background was drawn with its content.
        margin_page.background = margin_page.canvas_background = None
        page = document.pages[page_number]
        stream = Stream(
            document.fonts,
            _page_rectangle(page),
            resources,
            images,
            None,
            document.color_profiles,
            document.output_intent,
            compress=compress,
        )
        stream.begin_marked_content("Artifact")
        stream.transform(d=-1, f=(page.height * scale))
        with stream.stacked():
            stream.transform(a=scale, d=scale)
            draw_page(margin_page, stream)
        stream.end_marked_content()
        pdf.add_object(stream)
        pdf_pages[page_number]["Contents"].append(stream.reference)
        margin_pages[page_number] = None
        pdf.seal(first_object, keep)
    del context, root_box, margin_pages

    add_outlines(pdf, document.make_bookmark_tree(scale, transform_pages=True))
    _add_metadata(pdf, metadata, options)

    fonts = build_fonts_dictionary(
        pdf, document.fonts, compress, not options["full_fonts"], options
    )
    pdf.add_object(fonts)
    resources["Font"] = fonts.reference
    _use_references(pdf, resources, images, document.color_profiles)

    if names:
        # Anchors are name trees that have to be sorted.
        name_array = pydyf.Array()
        for anchor in sorted(names):
            name_array.append(pydyf.String(anchor[0]))
            name_array.append(anchor[1])
        pdf.catalog["Names"] = pydyf.Dictionary({"Dests": pydyf.Dictionary({"Names": name_array})})

    # The end of add_tags: annotations in the parent tree, and the required entries.
    for number, (reference, annotation) in enumerate(annotations, start=total):
        parent_tree["Nums"].append(number)
        parent_tree["Nums"].append(reference)
        annotation["StructParent"] = number
    pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
    pdf.catalog["MarkInfo"] = pydyf.Dictionary({"Marked": "true"})
    if "Lang" not in pdf.catalog:
        pdf.catalog["Lang"] = pydyf.String()

    variant_function, _ = VARIANTS[VARIANT]
    variant_function(pdf, document, [], [], compress)

    output = io.BytesIO()
    pdf.write(output, options["pdf_version"], options["pdf_identifier"], compress)
    return output.getvalue()


def _matrix(page, scale):
    return Matrix(scale, 0, 0, -scale, 0, page.height * scale)


def _page_rectangle(page):
    left, top = -page.bleed["left"], -page.bleed["top"]
    width = page.width + page.bleed["left"] + page.bleed["right"]
    height = page.height + page.bleed["top"] + page.bleed["bottom"]
    return (left, top, width, height)


def _page_objects(pdf, document, page, resources, images, tags, scale, compress):
    """The page's content stream and dictionary, as generate_pdf makes them."""
    left, top, width, height = (value * scale for value in _page_rectangle(page))
    right, bottom = left + width, top + height
    stream = Stream(
        document.fonts,
        _page_rectangle(page),
        resources,
        images,
        tags,
        document.color_profiles,
        document.output_intent,
        compress=compress,
    )
    stream.transform(d=-1, f=(page.height * scale))
    pdf.add_object(stream)
    pdf_page = pydyf.Dictionary(
        {
            "Type": "/Page",
            "Parent": pdf.pages.reference,
            "MediaBox": pydyf.Array([left, top, right, bottom]),
            "Contents": pydyf.Array([stream.reference]),
            "Resources": resources.reference,
        }
    )
    return stream, pdf_page


def _set_boxes(pdf_page, page, scale):
    """generate_pdf's TrimBox and BleedBox."""
    left, top, width, height = (value * scale for value in _page_rectangle(page))
    right, bottom = left + width, top + height
    bleed = {key: value * 0.75 for key, value in page.bleed.items()}
    trim = (
        left + bleed["left"],
        top + bleed["top"],
        right - bleed["right"],
        bottom - bleed["bottom"],
    )
    pdf_page["TrimBox"] = pydyf.Array(list(trim))
    pdf_page["BleedBox"] = pydyf.Array(
        [
            trim[0] - min(10, bleed["left"]),
            trim[1] - min(10, bleed["top"]),
            trim[2] + min(10, bleed["right"]),
            trim[3] + min(10, bleed["bottom"]),
        ]
    )


def _page_links(page, anchors_seen, internal_targets):
    """resolve_links for one page: the first anchor of each name wins; internal links are kept
    and their targets checked once every page is drawn."""
    anchors = []
    for anchor_name, (x, y, _, _) in page.anchors.items():
        if anchor_name not in anchors_seen:
            anchors.append((anchor_name, x, y))
            anchors_seen.add(anchor_name)
    for link_type, target, _, _ in page.links:
        if link_type == "internal":
            internal_targets.add(target)
    return list(page.links), anchors


def _add_metadata(pdf, metadata, options):
    """generate_pdf's document information."""
    pdf.info["Producer"] = pydyf.String(f"WeasyPrint {VERSION}")
    if metadata.title:
        pdf.info["Title"] = pydyf.String(metadata.title)
    if metadata.authors:
        pdf.info["Author"] = pydyf.String(", ".join(metadata.authors))
    if metadata.description:
        pdf.info["Subject"] = pydyf.String(metadata.description)
    if metadata.keywords:
        pdf.info["Keywords"] = pydyf.String(", ".join(metadata.keywords))
    if metadata.generator:
        pdf.info["Creator"] = pydyf.String(metadata.generator)
    if metadata.created:
        pdf.info["CreationDate"] = pydyf.String(_w3c_date_to_pdf(metadata.created, "created"))
    if metadata.modified:
        pdf.info["ModDate"] = pydyf.String(_w3c_date_to_pdf(metadata.modified, "modified"))
    if metadata.lang:
        pdf.catalog["Lang"] = pydyf.String(metadata.lang)
    if options["custom_metadata"]:
        for key, value in metadata.custom.items():
            key = "".join(char for char in key if char.isalnum())
            key = key.encode("ascii", errors="ignore").decode()
            if key:
                pdf.info[key] = pydyf.String(value)
