"""Indonesian explain_cause and the problem-report triggers on wording written for this test (none taken
from the benchmark sets). Causes told with no cause word: what happened on the company's side, as an event
("tiangnya ketabrak truk"), a state of its systems ("sistem kami sedang migrasi"), a party's slip ("kasir
kami keliru input"); near misses that are no cause (a restatement, a status, a step, an apology). A request
with the customer's own context or a hypothetical ("kalau misalnya nanti gagal ...", "padahal lagi butuh
...") opens no complaint item; real reports still do. Batch 1 was scored before tuning (causes 1/18,
requests 2/12), batch 2 was written after it and scored once (causes 8/12, requests 5/6) before its misses
were fixed. The cases still missed are marked xfail.
"""

from __future__ import annotations

import pytest
from scripted import spoken_call

from callscore.rubric.apply import apply_rubric
from callscore.rubric.meaning import stem
from callscore.rubric.schema import load_rubric

RUBRIC = load_rubric("id-contact-centre")
REPORT = "paket saya belum datang padahal sudah seminggu"
ANSWER = "baik bu saya jelaskan ya"


def _status(turns: list[tuple[str, str]], item: str) -> str:
    call = spoken_call(turns, call_id="p", language="id")
    return {i.id: i for i in apply_rubric(call, rubric=RUBRIC).items}[item].status


def _miss(text: str) -> object:
    return pytest.param(text, marks=pytest.mark.xfail(reason="not yet recognised", strict=True))


CAUSES = [
    # batch 1
    "tiang di ujung jalan ibu tertabrak truk semalam",
    "server pembayaran kami tadi siang sempat mati sekitar satu jam",
    "petugas gudang kami salah tempel label alamatnya",
    _miss("kurir yang biasa pegang area bapak sedang cuti sakit"),
    _miss("pipa induk di jalan raya pecah tadi subuh bu"),
    "aplikasinya baru diperbarui kemarin dan versi barunya masih ada bug",
    "tagihannya terinput dua kali oleh mesin kasir kami",
    "mesin atm di situ memang sedang kehabisan uang pak",
    "kabel fiber di tiang depan rumah bapak digigit tikus",
    "vendor kartu kami telat kirim blangko bulan ini",
    "di wilayah ibu sedang ada pemadaman bergilir dari pusat",
    "tim kami sedang pindah server malam ini",
    "petugas lapangan kami lupa menutup tiket bapak kemarin",
    "kartunya sudah kedaluwarsa sejak bulan lalu bu",
    "gudang transit kami di cikarang lagi penuh sekali minggu ini",
    "nomor rekening tujuannya tercatat beda satu angka di sistem",
    "jalur kirim ke pulau itu ditutup sementara oleh pelabuhan",
    "pesawat yang seharusnya bapak naiki terlambat datang dari medan",
    # batch 2
    "trafo di gang sebelah meledak kena petir tadi sore",
    "ada perbaikan jalan jadi pipanya sengaja kami tutup",
    "sistem billing kami kemarin sempat error hitungannya",
    "kasir cabang kami keliru input nominalnya",
    "paketnya terbawa ke hub bandung oleh kurir lain",
    "jaringan di menara dekat rumah bapak sedang overload",
    "mesin edc di toko itu memang lagi bermasalah koneksinya",
    "stok barangnya ternyata sudah kosong waktu pesanan masuk",
    "kabel bawah tanahnya tergerus air waktu banjir kemarin",
    "tim gudang kami lupa scan paket bapak",
    "servernya down dari jam dua sampai jam empat",
    "voucher itu sudah lewat masa berlakunya bu",
]
NOT_CAUSES = [
    "baik bu jadi paketnya belum sampai sampai ya",
    "statusnya masih dalam proses ya pak",
    "saya cek dulu sebentar ya pak",
    "mohon maaf atas ketidaknyamanannya bu",
    "kartu yang lama sudah saya blokir ya",
    "nanti teknisi kami datang besok pagi",
    "boleh saya minta nomor resinya pak",
    "pasti kesal ya bu nunggu selama itu",
    "paketnya sekarang ada di gudang jakarta",
    "baik saya bantu lacak dulu ya",
]
REQUESTS = [
    "saya mau tanya jadwal servis soalnya besok saya harus buka warung pagi",
    "mbak saya mau pindah paket, padahal saya lagi perlu banget internet buat kerja",
    "kalau misalnya nanti pembayarannya gagal itu gimana ya mbak",
    "seandainya kartunya ketelan di mesin saya harus ke mana",
    "saya mau ganti jadwal soalnya hari kamis nggak bisa datang",
    _miss("takutnya kalau telat bayar nanti kena denda ya"),
    "mau nanya aja mas kalau transfer antar bank biasanya berapa lama masuknya",
    "saya mau daftar tapi belum punya npwp",
    "anak saya belum bisa pakai aplikasi jadi saya yang telepon",
    "kalau listriknya padam pas hujan itu lapornya ke mana ya",
    "saya mau perpanjang sim, kebetulan saya belum sempat ke samsat",
    _miss("bukan komplain kok mbak cuma mau tanya kalau gagal bayar gimana"),
    "saya mau tanya promo, soalnya bulan depan saya mau beli hp",
    _miss("andaikan nanti saya telat bayar satu hari kena denda nggak"),
    "kalau misalnya paketnya rusak waktu dikirim bisa klaim nggak",
    "saya belum punya rekening jadi mau buka yang baru",
    "saya mau pasang baru, kebetulan belum sempat survei",
    "mbak saya mau upgrade paket soalnya anak saya sekolah online",
]
REPORTS = [
    "dari kemarin transfer saya nggak masuk masuk mbak",
    "tagihan bulan ini kok jadi dobel",
    "aplikasinya keluar sendiri tiap saya buka",
    "saya sudah bayar tapi statusnya masih belum lunas",
    "wifi di rumah mati terus dari tadi malam",
    "barang yang saya terima pecah mas",
]


@pytest.mark.parametrize("said", CAUSES)
def test_cause_without_a_cause_word_explains(said: str) -> None:
    assert _status([("customer", REPORT), ("agent", said)], "explain_cause") == "pass"


@pytest.mark.parametrize("said", NOT_CAUSES)
def test_status_step_or_apology_is_no_cause(said: str) -> None:
    assert _status([("customer", REPORT), ("agent", said)], "explain_cause") == "fail"


@pytest.mark.parametrize("said", REQUESTS)
def test_context_or_hypothetical_opens_no_complaint(said: str) -> None:
    assert _status([("customer", said), ("agent", ANSWER)], "apology_on_complaint") == "not_applicable"


@pytest.mark.parametrize("said", REPORTS)
def test_real_report_opens_the_complaint_items(said: str) -> None:
    assert _status([("customer", said), ("agent", ANSWER)], "apology_on_complaint") == "fail"


def test_complaint_alone_opens_explain_cause() -> None:
    said = [("customer", "saya kecewa sekali sama pelayanan kalian"), ("agent", ANSWER)]
    assert _status(said, "explain_cause") == "fail"


def test_andai_is_not_the_address_anda() -> None:
    # stripped of its -i, "andai" ("seandainya", "andaikan") read as the address "Anda": the near miss
    # "seandainya * *" then vetoed every report said with "Pak" / "Bu"
    assert stem("seandainya", language="id") == "andai"
    assert stem("andaikan", language="id") == "andai"
    assert stem("anda", language="id") != "andai"
