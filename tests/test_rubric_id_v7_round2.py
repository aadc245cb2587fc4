"""Second round of v7 error classes in the Indonesian rubric (1.10.0), each probed with wording written for
this test: solutions said as done ("sudah kita ...", Manado "so", Ambon "su"), with a where or a when, a
discount on a repair; no solution in a reproach, a redirection, "terserah", reading the terms or a threat;
causes told as an event, a charge named or a use found; no cause in a closing check (the stem of
"perbaikan" is "baik"), a jump said back, a guessed slip or the risk put on the customer; "pasti susah" as
empathy, and so are "tentu sangat mengganggu" and an "apalagi ..." circumstance; the Manado "makase"; a
time not known yet as the bare admission; a booking cancelled "begitu saja", Kupang "balom" and a hotel
room unfit that open a failure; a Malay question tag, the usual account and a lost prescription that open
none ("|" separates agent turns).
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


SOLUTION = [
    ("kartu ibu so kita ganti yang baru", "pass"),
    ("nomor bapak so kita aktifkan lagi", "pass"),
    ("kuota ibu su beta tambah lima giga", "pass"),
    ("uang ibu saya refund penuh hari ini", "pass"),
    ("sisa saldonya dikembalikan hari ini ke rekening bapak", "pass"),
    ("kacamatanya bisa diambil hari sabtu pagi", "pass"),
    ("bapak bawa kuitansi aslinya ke loket pelayanan", "pass"),
    ("ibu buka fitur pengaduan di menu bantuan", "pass"),
    ("layarnya kami bisa perbaiki dengan potongan 20 persen", "pass"),
    ("kalau bapak perpanjang sebelum jatuh tempo kan tidak kena denda", "fail"),
    ("silakan bapak ke kantor mereka dan tanyakan langsung ke mereka", "fail"),
    ("terserah ibu mau laporkan ke siapa", "fail"),
    ("ibu bisa baca ketentuannya di website kami", "fail"),
    ("bayar saja dulu daripada nanti diblokir", "fail"),
    ("coba ibu mungkin besok pagi itu kalau", "fail"),
    # a receipt said as "kami" is a status, as it is said as "saya" (examples/tidak_tahu)
    ("barang kembalian ibu sudah kami terima di gudang", "fail"),
    ("keluhan bapak sudah kami catat ya", "fail"),
    ("barang ibu sudah kami terima, dananya kami kembalikan hari ini ke rekening ibu", "pass"),
]

CAUSE = [
    ("dokter jaganya tadi dipanggil untuk menangani pasien gawat", "pass"),
    ("itu potongan biaya kartu debit tiap bulan pak", "pass"),
    ("paket dua puluh mega dipakai delapan orang sekaligus ya pasti lambat", "pass"),
    ("baik bu, ada lagi yang bisa saya bantu", "fail"),
    ("oke jadi tagihan bapak naik jadi 2 juta padahal biasanya 300 ribu ya pak", "fail"),
    ("mungkin ibu salah pilih ukuran waktu checkout", "fail"),
    ("itu risiko bapak karena ambil tiket promo", "fail"),
    ("dari catatan ada pemakaian dari aplikasi game tengah malam", "pass"),
    ("lima mega dipake enam orang ya jelas pelan", "pass"),
    ("mungkin bapak sendiri yang lupa kunci layar", "fail"),
]


@pytest.mark.parametrize(("said", "expected"), SOLUTION)
def test_solution_class(said: str, expected: str) -> None:
    assert status("solution_next_step", said) == expected


@pytest.mark.parametrize(("said", "expected"), CAUSE)
def test_cause_class(said: str, expected: str) -> None:
    assert status("explain_cause", said) == expected


def test_a_hardship_named_is_empathy() -> None:
    assert status("empathy", "pasti susah tidak bisa kirim barang ke pembeli") == "pass"


@pytest.mark.parametrize(
    "said",
    [
        "dua hari tanpa air bersih tentu sangat mengganggu bu",
        "mohon maaf bu apalagi ibu sedang hamil tua",
    ],
)
def test_the_impact_or_the_aggravating_circumstance_is_empathy(said: str) -> None:
    assert status("empathy", said) == "pass"


def test_what_else_is_no_empathy() -> None:
    assert status("empathy", "apalagi yang bisa saya bantu bu") == "fail"


def test_the_manado_thanks_closes() -> None:
    assert status("closing_thanks", "baik ibu paketnya sudah kami kirim ulang | makase banyak ibu") == "pass"


def test_a_lecture_to_try_first_blames_and_a_call_we_owed_does_not() -> None:
    assert status("no_blaming_language", "itu kan biasa pak, harusnya dicabut dulu sebelum telepon") == "fail"
    assert status("no_blaming_language", "harusnya bapak ditelepon dulu oleh teknisi kami") == "pass"


def test_a_brush_off_blames_and_the_agents_own_not_knowing_does_not() -> None:
    assert status("no_blaming_language", "ya itu aturannya, saya hanya bisa itu saja bu") == "fail"
    assert status("no_blaming_language", "jam bukanya berapa ya, gak tau juga sih bu") == "pass"


@pytest.mark.parametrize(
    ("item", "said", "expected"),
    [
        ("ownership", "saya hanya pegang urusan pembayaran bu", "fail"),
        ("ownership", "ibu masih tunggu sampai lewat jatuh tempo", "fail"),
        ("empathy", "nomor itu bapak sendiri yang isi jadi sistem menelepon kalau lewat tempo", "fail"),
        ("empathy", "kalau saya jadi bapak juga bakal kesal", "pass"),
    ],
)
def test_no_commitment_or_empathy_read_out_of_order(item: str, said: str, expected: str) -> None:
    assert status(item, said) == expected


def test_the_closing_check_with_ditanya() -> None:
    assert status("satisfaction_check", "baik bu | masih ada yang mau ditanya bu") == "pass"


def test_an_ambon_restatement_with_its_tag() -> None:
    said = "maaf e pulsa ibu kapotong terus tiap malam e"
    assert (
        status("confirm_problem", said, ask="pulsa saya kepotong terus tiap malam padahal tidak dipakai")
        == "pass"
    )


def test_help_offered_as_the_first_step() -> None:
    assert status("offer_help", "selamat pagi ibu, saya bantu lacak sekarang ya bu") == "pass"


def test_a_day_named_is_a_time_frame() -> None:
    assert status("specific_follow_up", "nanti rabu pagi kami kirim rinciannya lewat email") == "pass"


def test_once_ready_is_no_empathy() -> None:
    assert status("empathy", "nanti kami kabari bapak kalau su jadi") == "fail"


def test_a_time_not_known_yet_is_the_bare_admission_at_full_score() -> None:
    # 1.10.0 as first tuned matched it only through "saya belum tahu" at 0.80, one weight shift from passing
    turns = [("customer", ASK), ("agent", "itu belum tahu ki bu jam berapa datangnya")]
    item = probe_item(turns, "no_saya_tidak_tahu", rubric=R)
    assert item.status == "fail"
    assert max(e.similarity or 0.0 for e in item.evidence) >= 0.95


@pytest.mark.parametrize(
    "said",
    [
        "obat yang datang salah, saya pesan yang sirup",
        "pesanan katering saya untuk acara besok siang dibatalkan begitu saja",
        "kartu saya sudah dua minggu balom datang",
        "ac nya mati bu gerah sekali",
        "kamarnya kotor sekali banyak semut",
    ],
)
def test_the_failure_opens(said: str) -> None:
    assert status("apology_on_complaint", "baik bu saya bantu", ask=said) == "fail"


@pytest.mark.parametrize(
    "ask",
    [
        "kalau roaming di singapura tak mahal ke",
        "di aplikasinya saya cari tidak ketemu menu ubah alamat",
        "kita tidak tahu nomor rekamnya ade",
        "uangnya ke rekening yang biasa ya mbak",
        "resepnya hilang jadi saya mau minta yang baru",
    ],
)
def test_questions_and_answers_open_no_failure(ask: str) -> None:
    assert status("apology_on_complaint", "baik bu saya bantu", ask=ask) == "not_applicable"
