import xml.etree.ElementTree as ET

from reporting.charts import Segment, bar_chart, stacked_bar_chart

SVG = "{http://www.w3.org/2000/svg}"
STATUSES = [
    Segment("white", "Not started", "#ffffff", "#0b0c0c", outline=True),
    Segment("green", "On track", "#00703c"),
    Segment("red", "Overdue", "#d4351c"),
]


def parse(svg):
    return ET.fromstring(str(svg))


def test_bar_chart_states_every_figure_for_screen_readers():
    root = parse(bar_chart([("Early Help", 12), ("Care leavers", 3.5)], title="Forms", unit="%"))
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Forms"
    assert root.find(f"{SVG}desc").text == "Early Help: 12%; Care leavers: 3.5%"


def test_bar_lengths_are_proportional_to_values():
    root = parse(bar_chart([("a", 10), ("b", 5)], title="t"))
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert widths[0] == 2 * widths[1]


def test_text_is_escaped():
    svg = str(bar_chart([("<script>alert(1)</script>", 1)], title="A & B"))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    parse(svg)  # still well-formed XML


def test_stacked_bar_draws_only_present_segments_and_totals():
    rows = [("SP1", {"green": 3, "red": 1}), ("SP2", {"white": 2})]
    root = parse(stacked_bar_chart(rows, segments=STATUSES, title="Actions by status"))
    desc = root.find(f"{SVG}desc").text
    assert desc == (
        "SP1: Not started 0, On track 3, Overdue 1; SP2: Not started 2, On track 0, Overdue 0"
    )
    bar_titles = [t.text for r in root.iter(f"{SVG}rect") for t in r.iter(f"{SVG}title")]
    assert bar_titles == ["On track: 3", "Overdue: 1", "Not started: 2"]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "4" in texts and "2" in texts  # row totals


def test_two_different_charts_have_different_ids():
    a = parse(bar_chart([("a", 1)], title="one"))
    b = parse(bar_chart([("a", 1)], title="two"))
    assert a.find(f"{SVG}title").get("id") != b.find(f"{SVG}title").get("id")


def test_empty_chart_says_so():
    root = parse(stacked_bar_chart([], segments=STATUSES, title="Nothing"))
    assert root.find(f"{SVG}desc").text == "No data."


def _label_room(root):
    """How far left of the first bar the label may reach, and the labels as drawn."""
    first_bar = float(next(root.iter(f"{SVG}rect")).get("x"))
    labels = [t for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    return first_bar, labels


def test_label_space_fits_the_longest_label_generously():
    # "10 Aug 2026" was drawn as "0 Aug 2026": the label space must hold every character.
    for label in ("10 Aug 2026", "Children in care and care leavers"):
        root = parse(bar_chart([(label, 3), ("1 Aug", 1)], title="Responses each week"))
        first_bar, labels = _label_room(root)
        assert labels[0].text == label
        anchor = float(labels[0].get("x"))
        # At 14 px even DejaVu Sans, the widest font in the stack, draws digits 0.636 em wide.
        assert anchor - len(label) * 14 * 0.64 >= 0
        assert first_bar > anchor


def test_short_labels_leave_the_bars_more_room():
    short, _ = _label_room(parse(bar_chart([("Yes", 3)], title="t")))
    long, _ = _label_room(parse(bar_chart([("Children in care", 3)], title="t")))
    assert short < long


def test_a_label_too_long_for_half_the_chart_is_shortened_not_cut_off():
    label = "A very long name for an objective that goes on and on about many things"
    root = parse(stacked_bar_chart([(label, {"green": 1})], segments=STATUSES, title="t"))
    _, labels = _label_room(root)
    drawn = labels[0].text
    assert drawn.endswith("…") and label.startswith(drawn[:-1])
    assert float(labels[0].get("x")) - len(drawn) * 14 * 0.64 >= 0
    assert label in root.find(f"{SVG}desc").text


def test_value_labels_have_room_on_the_right():
    root = parse(bar_chart([("a", 1000), ("b", 10)], title="t", unit="%", width=640))
    value = [t for t in root.iter(f"{SVG}text") if t.text == "1000%"][0]
    assert float(value.get("x")) + len("1000%") * 14 * 0.64 <= 640


def test_five_faces_are_drawn_differently_and_hidden_from_screen_readers():
    from reporting.charts import face

    faces = [parse(face(level)) for level in range(1, 6)]
    mouths = [root.find(f"{SVG}path").get("d") for root in faces]
    assert len(set(mouths)) == 5
    assert all(root.get("aria-hidden") == "true" for root in faces)
    assert all(len(list(root.iter(f"{SVG}circle"))) == 3 for root in faces)  # a head, two eyes


def test_there_is_no_sixth_face():
    import pytest

    from reporting.charts import face

    with pytest.raises(ValueError, match="1 to 5"):
        face(6)
