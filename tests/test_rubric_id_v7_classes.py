"""Classes of error the v7 development set showed in the Indonesian rubric (1.10.0), each probed with
wording written for this test: eastern Indonesian "don't know" (Manado, Ambon: "beta seng tahu", "katong
nyanda tau"), a question put to a colleague as the promise to find out, blaming said as a guessed slip,
"ya wajar lah", lateness mocked, a brush-off, "lagian" and a "kalau ... kan tidak kena" reproach, with
near misses that must pass, and customer answers that open no complaint ("|" separates agent turns).
"""

from __future__ import annotations

import pytest
from scripted import probe_item

from callscore.rubric.schema import load_rubric

R = load_rubric("id-contact-centre")
ASK = "paket saya belum datang padahal sudah seminggu"


def status(item: str, said: str, *, ask: str = ASK) -> str:
    turns = [("customer", ask)] + [("agent", x.strip()) for x in said.split("|")]
    return probe_item(turns, item, rubric=R).status


PROBES = [
    ("no_saya_tidak_tahu", "kalau soal jadwal kapal beta seng tahu ibu", "fail"),
    ("no_saya_tidak_tahu", "kalau itu katong nyanda tau bapak", "fail"),
    (
        "no_saya_tidak_tahu",
        "saya belum tahu pasti pak | nanti siang saya telepon gudang dan kabari bapak jam 2",
        "pass",
    ),
    ("no_blaming_language", "mungkin bapak salah pilih tanggal waktu pesan", "fail"),
    ("no_blaming_language", "salah klik kali bu, coba dicek lagi", "fail"),
    ("no_blaming_language", "tiga kali telat bayar ya wajar lah diblokir", "fail"),
    ("no_blaming_language", "sudah lewat sebulan baru ingat sekarang pak", "fail"),
    ("no_blaming_language", "sudah deh pokoknya ikuti saja prosedurnya", "fail"),
    ("no_blaming_language", "lagian ibu juga telat kirim dokumennya", "fail"),
    ("no_blaming_language", "kalau bapak lapor tepat waktu kan tidak kena sanksi", "fail"),
    ("no_blaming_language", "wajar kalau bapak kesal, saya bantu urus sekarang", "pass"),
    ("no_blaming_language", "sama sekali bukan salah ta, nanti kami urus", "pass"),
]


@pytest.mark.parametrize(("item", "said", "expected"), PROBES)
def test_v7_class_probe(item: str, said: str, expected: str) -> None:
    assert status(item, said) == expected


@pytest.mark.parametrize(
    "answer",
    [
        "tidak usah mbak, saya transfer sendiri saja nanti",
        "saya tidak pegang bukunya sekarang, nomornya berapa ya",
        "kalau dilunasi sekarang ada potongan bunga nggak mbak",
    ],
)
def test_customer_answers_open_no_complaint(answer: str) -> None:
    assert status("apology_on_complaint", "baik bu saya bantu", ask=answer) == "not_applicable"
