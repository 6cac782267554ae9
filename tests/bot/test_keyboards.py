"""Inline keyboards: made from rows of buttons, shared by the chats shown the same ones."""

from __future__ import annotations

from bot.keyboards import Button, inline_keyboard, rows_of


def test_no_buttons_no_markup() -> None:
    assert inline_keyboard([]) is None


def test_the_markup_carries_each_label_and_its_data_in_order() -> None:
    rows = [[Button("Tak", "c:0:1"), Button("Nie", "c:1:1")], [Button("Może", "c:2:1")]]
    markup = inline_keyboard(rows)
    assert markup is not None
    assert [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard] == [
        [("Tak", "c:0:1"), ("Nie", "c:1:1")],
        [("Może", "c:2:1")],
    ]


def test_the_same_buttons_share_one_markup_and_any_difference_makes_another() -> None:
    first = inline_keyboard([[Button("Edukacja", "f:p_area:0:0:7")]])
    again = inline_keyboard([(Button("Edukacja", "f:p_area:0:0:7"),)])
    assert first is again
    # Another revision, label, row layout or order is another markup.
    assert inline_keyboard([[Button("Edukacja", "f:p_area:0:0:8")]]) is not first
    assert inline_keyboard([[Button("Education", "f:p_area:0:0:7")]]) is not first
    pair = [Button("A", "a"), Button("B", "b")]
    assert inline_keyboard([pair]) is not inline_keyboard([[pair[0]], [pair[1]]])
    assert inline_keyboard([pair]) is not inline_keyboard([pair[::-1]])


def test_short_labels_two_to_a_row_long_ones_alone() -> None:
    short = [Button(str(n), str(n)) for n in range(3)]
    assert rows_of(short) == [short[:2], short[2:]]
    long = [Button("Polityka społeczna i zdrowie publiczne", "x"), Button("A", "a")]
    assert rows_of(long) == [[long[0]], [long[1]]]
