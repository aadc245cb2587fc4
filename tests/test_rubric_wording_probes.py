"""Issue 12: the default rubrics judge wording they were not written from.

Probe utterances written for this test (none taken from the benchmark sets), one class per list: greetings
without "selamat", apologies and empathy in other words, solutions said as actions, oddly phrased
satisfaction checks, indirect blaming, problem reports in unlisted words, and requests that must not open
the complaint items. Each probe is a tiny call scored with the shipped rubric.
"""

from __future__ import annotations

from scripted import probe_item

from callscore.rubric.schema import load_rubric

R = {lang: load_rubric(name) for lang, name in (("id", "id-contact-centre"), ("en", "en-contact-centre"))}


def run(lang, turns, item):
    return probe_item(turns, item, rubric=R[lang])


ID_REPORT = ("customer", "paket saya belum datang padahal sudah seminggu")
EN_REPORT = ("customer", "my parcel still hasn't arrived after a week")
P = []


def agent(lang, item, text, want, first=None):
    rep = ID_REPORT if lang == "id" else EN_REPORT
    turns = ([("agent", first)] if first else []) + [rep, ("agent", text)]
    P.append((lang, item, turns, want))


def cust(lang, text, want):  # want: fail (opened, no apology) / not_applicable
    P.append(
        (
            lang,
            "apology_on_complaint",
            [
                ("agent", "halo" if lang == "id" else "hello"),
                ("customer", text),
                ("agent", "oke" if lang == "id" else "okay"),
            ],
            want,
        )
    )


for g in [
    "pagi bu dengan bank sejahtera",
    "assalamualaikum dengan pln",
    "met siang kak",
    "sugeng enjing",
    "wilujeng sonten teh",
    "halo kak selamat datang di tokoku",
    "sore pak",
]:
    P.append(("id", "greeting", [("agent", g), ID_REPORT], "pass"))
for a in [
    "duh maaf banget kak",
    "maafin ya kak",
    "mohon dimaafkan ya pak",
    "sorry ya kak",
    "punten pisan teh",
    "kami mohon maaf atas keterlambatannya",
]:
    agent("id", "apology_on_complaint", a, "pass")
for e in [
    "wah pasti kesel banget ya kak",
    "saya ngerti kok bu",
    "kebayang repotnya bu",
    "pasti bikin pusing ya pak",
    "wajar kalau bapak kesal",
    "aduh kasihan sekali ibu jadi nunggu",
]:
    agent("id", "empathy", e, "pass")
for o in [
    "biar saya yang urus sampai beres",
    "saya kawal sampai paketnya sampai",
    "saya tanggung jawab sampai selesai",
    "saya pantau sendiri ya bu",
]:
    agent("id", "ownership", o, "pass")
for s in [
    "sudah saya ganti alamatnya",
    "saya refund sekarang ya kak",
    "paketnya saya kirim ulang hari ini",
    "besok kurir kami antar lagi",
    "bapak tinggal update aplikasinya",
    "silakan ambil di agen terdekat",
    "dananya kami kembalikan ke saldo",
]:
    agent("id", "solution_next_step", s, "pass")
for s in ["ya tunggu aja", "tidak ada solusinya bu", "tanya aja ke kurirnya"]:
    agent("id", "solution_next_step", s, "fail")
for q in [
    "ada lagi kak",
    "masih ada yang bisa dibantu",
    "sudah cukup jelas bu",
    "ada yang mau ditanyakan lagi",
    "gimana pak sudah oke",
    "ada hal lain bu",
]:
    agent("id", "satisfaction_check", q, "pass")
for q in ["kalau ada apa apa hubungi kami lagi ya"]:
    agent("id", "satisfaction_check", q, "fail")
for c in [
    "makasih ya kak",
    "terima kasih sudah menghubungi kami",
    "matur nuwun pak",
    "hatur nuhun teh",
    "terima kasih atas waktunya",
]:
    agent("id", "closing_thanks", c, "pass")
for c in [
    "jadi paketnya belum sampai sejak senin ya kak",
    "berarti ibu belum terima paketnya",
    "kalau saya tidak salah tangkap paketnya belum datang",
    "maksudnya paket ibu belum diterima ya",
]:
    agent("id", "confirm_problem", c, "pass")
for b in [
    "itu sih bapak yang kurang teliti",
    "makanya lain kali cek dulu",
    "ya salah ibu sendiri nggak baca",
    "itu bukan urusan kami pak",
    "bapak aja yang gaptek",
    "siapa suruh bapak kasih kode otp",
]:
    agent("id", "no_blaming_language", b, "fail")
for b in ["bukan salah bapak kok", "tenang bu ini kesalahan kami"]:
    agent("id", "no_blaming_language", b, "pass")
for c in [
    "pulsa saya kesedot terus",
    "saldo dompet digital saya hilang",
    "barang yang dikirim beda sama yang saya pesan",
    "tagihan listrik saya membengkak",
    "paket saya nyasar ke kota lain",
    "aplikasinya force close terus",
    "kartu kredit saya kena tagihan yang nggak pernah saya pakai",
    "wifi saya lemot parah",
    "pesanan saya dibatalkan sepihak",
    "airnya keruh dari kemarin",
    "ac yang baru dipasang bocor",
]:
    cust("id", c, "fail")
for c in [
    "saya mau tanya jadwal buka cabang",
    "habis gajian saya mau bayar cicilan",
    "saya mau ganti nomor hp di data",
    "kapan ya promo berakhir",
    "saya tidak bisa datang hari senin bisa diganti selasa",
]:
    cust("id", c, "not_applicable")
# English
for g in [
    "morning, northbank, sam speaking",
    "hi, you've reached citypower",
    "hello and welcome to fibrelink",
    "good day, this is anna",
]:
    P.append(("en", "greeting", [("agent", g), EN_REPORT], "pass"))
for a in [
    "oh I'm really sorry about that",
    "apologies for the trouble",
    "so sorry to hear that",
    "my apologies, that shouldn't have happened",
]:
    agent("en", "apology_on_complaint", a, "pass")
for e in [
    "that must be really frustrating",
    "I completely get why you're upset",
    "what a nuisance for you",
    "I'd be annoyed too",
]:
    agent("en", "empathy", e, "pass")
for s in [
    "I've arranged a redelivery for tomorrow",
    "I'll refund the postage now",
    "you can collect it from the depot",
    "a new one goes out today",
]:
    agent("en", "solution_next_step", s, "pass")
for q in [
    "anything else I can do for you",
    "is there anything else",
    "have I answered everything",
    "are you happy with that",
]:
    agent("en", "satisfaction_check", q, "pass")
for b in [
    "well you should have been in",
    "that's your own fault really",
    "not my problem, take it up with the courier",
    "you obviously typed the address wrong",
]:
    agent("en", "no_blaming_language", b, "fail")
for c in [
    "my internet keeps cutting out",
    "I was charged twice this month",
    "the app won't let me log in",
    "my order arrived broken",
    "my bill is way higher than it should be",
    "nobody turned up for the appointment",
]:
    cust("en", c, "fail")
for c in [
    "I'd like to upgrade my plan",
    "can I change my delivery address",
    "I won't be home tomorrow, can you come thursday",
]:
    cust("en", c, "not_applicable")


def test_every_probe_gets_the_reviewers_verdict():
    wrong = []
    for lang, item, turns, want in P:
        r = run(lang, turns, item)
        if r.status != want:
            wrong.append(f"{lang} {item}: {turns[-2:]} want {want}, got {r.status} ({r.reason})")
    assert len(P) >= 100
    assert not wrong, "\n".join(wrong)


# The critical items: blaming and a bare "I don't know" in words the rubric does not list, and the
# reassurances, scheduling choices and checks that must not trip them.
CRITICAL = []


def a(lang, item, text, want):
    CRITICAL.append((lang, item, [ID_REPORT if lang == "id" else EN_REPORT, ("agent", text)], want))


for t in [
    "ya itu kelalaian bapak sendiri",
    "bapak kurang hati hati sih",
    "harusnya ibu cek dulu sebelum bayar",
    "kan sudah saya jelaskan tadi bu",
    "ibu nggak dengerin saya ya",
    "salah sendiri nggak baca syaratnya",
    "itu risiko bapak",
    "ya derita ibu lah",
    "ibu yang ceroboh",
    "kenapa nggak tanya dulu sebelum transfer",
    "itu bukan tanggung jawab kami bu, urusan ekspedisi",
    "udah dibilangin berkali kali juga",
    "kalau bapak nggak ngerti ya jangan asal klik",
    "saya cuma jalanin aturan, protes aja ke pusat",
    "ya terserah ibu mau percaya atau nggak",
    "makanya pak, jangan percaya sama orang yang ngaku petugas",
]:
    a("id", "no_blaming_language", t, "fail")
for t in [
    "bukan salah ibu kok, ini gangguan sistem kami",
    "terserah bapak mau diantar pagi atau sore",
    "saya sendiri yang urus ya pak",
    "ibu tidak perlu khawatir",
    "silakan ibu baca syaratnya di aplikasi nanti",
    "kesalahannya ada di pihak kami bu",
    "sudah saya jelaskan di sms ya pak rinciannya",
    "bapak yang pilih jadwalnya ya",
]:
    a("id", "no_blaming_language", t, "pass")
for t in [
    "wah saya juga kurang paham pak",
    "nggak ngerti saya bu",
    "saya kurang tau soal itu",
    "aduh saya nggak tau ya kak",
    "entah ya pak, saya juga bingung",
    "waduh saya tidak tahu bu",
]:
    a("id", "no_saya_tidak_tahu", t, "fail")
for t in [
    "saya cek dulu ya pak",
    "apakah bapak tahu nomor tiketnya",
    "ibu tidak perlu tahu detailnya, semuanya sudah kami urus",
    "saya tahu ini merepotkan bu",
]:
    a("id", "no_saya_tidak_tahu", t, "pass")
for t in [
    "you should've read the small print",
    "that's on you, not us",
    "well that's what happens if you don't update the app",
    "I've told you three times already",
    "you must have entered it wrong",
    "it's your responsibility to check",
    "we can't help people who don't read",
    "that's the courier's issue, not ours",
    "obviously you didn't follow the instructions",
    "if you'd listened the first time",
    "you people never check your emails",
]:
    a("en", "no_blaming_language", t, "fail")
for t in [
    "this isn't your fault at all",
    "it's up to you which day suits",
    "you shouldn't have to chase us",
    "you did everything right",
    "you're the one who knows the address best, could you spell it",
]:
    a("en", "no_blaming_language", t, "pass")
for t in [
    "no idea, sorry",
    "I'm not sure about that one",
    "haven't got a clue",
    "I really couldn't say",
    "dunno to be honest",
    "beats me",
]:
    a("en", "no_saya_tidak_tahu", t, "fail")
for t in ["let me check that for you", "do you know your account number", "I know that's frustrating"]:
    a("en", "no_saya_tidak_tahu", t, "pass")


def test_critical_items_catch_blaming_and_not_knowing_in_other_words():
    wrong = []
    for lang, item, turns, want in CRITICAL:
        r = run(lang, turns, item)
        if r.status != want:
            wrong.append(f"{lang} {item}: {turns[-1][1]!r} want {want}, got {r.status}")
    assert len(CRITICAL) >= 50
    assert not wrong, "\n".join(wrong)


# Complaint handling said in other words: causes without "karena", follow-ups with and without a time
# frame, ownership.
HANDLING = []


def a(lang, item, text, want, extra=()):
    HANDLING.append((lang, item, [ID_REPORT if lang == "id" else EN_REPORT, ("agent", text), *extra], want))


for t in [
    "kurirnya salah baca alamat jadi paketnya dibawa balik ke gudang",
    "gara gara banjir di jalur tol pengirimannya tertahan",
    "soalnya gudang transit kami lagi penuh bu",
    "ternyata resinya tertukar dengan paket lain",
    "sistem kami sempat down kemarin sore",
    "paketnya ketahan di bea cukai pak",
]:
    a("id", "explain_cause", t, "pass")
for t in [
    "nanti saya kabari besok pagi ya bu",
    "saya telepon balik jam tiga sore",
    "paling lambat lusa sudah sampai ya kak",
    "dalam dua hari kerja paketnya diantar",
]:
    a("id", "specific_follow_up", t, "pass", extra=())
for t in ["nanti kami kabari ya bu", "nanti dihubungi petugas kami", "secepatnya kami proses ya pak"]:
    a("id", "specific_follow_up", t, "fail")
for t in [
    "biar saya yang tangani kasusnya",
    "saya sendiri yang pastikan paketnya sampai",
    "saya jamin besok sudah beres bu",
    "ini tanggung jawab kami pak, saya urus sekarang",
]:
    a("id", "ownership", t, "pass")
for t in [
    "the van broke down so the route was cancelled",
    "it looks like the label was printed wrong",
    "our warehouse was short staffed last week",
    "the system went down overnight",
]:
    a("en", "explain_cause", t, "pass")
for t in [
    "I'll call you back by five today",
    "you'll hear from us tomorrow morning",
    "it'll be with you within two working days",
]:
    a("en", "specific_follow_up", t, "pass")
for t in ["someone will call you back", "we'll get back to you soon", "the team will be in touch"]:
    a("en", "specific_follow_up", t, "fail")
for t in [
    "leave this with me, I'll sort it",
    "I'll personally make sure it gets there",
    "I'm taking ownership of this one",
    "I'll keep an eye on it until it's delivered",
]:
    a("en", "ownership", t, "pass")


def test_causes_follow_ups_and_ownership_in_other_words():
    wrong = []
    for lang, item, turns, want in HANDLING:
        r = run(lang, turns, item)
        if r.status != want:
            wrong.append(f"{lang} {item}: {turns[1][1]!r} want {want}, got {r.status}")
    assert len(HANDLING) >= 30
    assert not wrong, "\n".join(wrong)


# Requests and neutral talk, some holding words of a fault ("barely", "can't remember", "at best"): the
# complaint-handling items stay not applicable.
REQUESTS = []


def c(lang, text, want):
    REQUESTS.append(
        (
            lang,
            "apology_on_complaint",
            [
                ("agent", "hello" if lang == "en" else "halo"),
                ("customer", text),
                ("agent", "okay" if lang == "en" else "oke"),
            ],
            want,
        )
    )


for t in [
    "I'd like to check my balance",
    "can you tell me when the store opens",
    "I want to add my wife to the account",
    "I'm moving house next month",
    "what's the cheapest plan you have",
    "I was supposed to call back about my application",
    "I barely use data, is there a cheaper plan",
    "I'd like to pay my bill",
    "my neighbour said you have a new offer",
    "I need a copy of my statement",
    "the engineer is coming tomorrow, just checking the time",
    "I want to cancel my subscription please",
    "can I get a refund on an unopened item",
    "at best I can do mornings",
    "it says estimated, what does that mean",
    "I can't remember my password, can you reset it",
]:
    c("en", t, "not_applicable")
for t in [
    "saya mau cek saldo",
    "jam berapa kantor cabang buka",
    "saya mau tambah anggota keluarga di bpjs",
    "bulan depan saya pindah rumah",
    "paket paling murah apa ya",
    "saya mau bayar tagihan bulan ini",
    "saya butuh rekening koran tiga bulan",
    "teknisinya datang besok kan, saya cuma mau pastikan jamnya",
    "saya mau berhenti langganan",
    "kartu saya mau diganti yang baru karena mau ke luar negeri",
    "saya lupa password, bisa dibantu reset",
]:
    c("id", t, "not_applicable")


def test_requests_do_not_open_the_complaint_items():
    wrong = []
    for lang, item, turns, want in REQUESTS:
        r = run(lang, turns, item)
        if r.status != want:
            wrong.append(f"{lang}: {turns[1][1]!r} opened a complaint ({r.reason})")
    assert len(REQUESTS) >= 25
    assert not wrong, "\n".join(wrong)


# Offers of help at the start and thanks at the close, regional forms included; "sama sama" and
# "you're welcome" answer thanks, they do not thank.
COURTESY = []


def first(lang, item, text, want):
    COURTESY.append(
        (
            lang,
            item,
            [
                ("agent", text),
                ID_REPORT if lang == "id" else EN_REPORT,
                ("agent", "baik" if lang == "id" else "right"),
            ],
            want,
        )
    )


def last(lang, item, text, want):
    COURTESY.append(
        (
            lang,
            item,
            [
                ID_REPORT if lang == "id" else EN_REPORT,
                ("agent", "baik" if lang == "id" else "right"),
                ("agent", text),
            ],
            want,
        )
    )


for t in [
    "selamat pagi, ada yang bisa dibantu kak",
    "halo, mau dibantu apa hari ini",
    "dengan andi, silakan ada yang bisa saya bantu",
    "ada yang perlu dibantu bu",
    "boleh saya bantu pak",
    "wonten ingkang saged kula bantu",
    "aya nu tiasa dibantos teh",
    "ada keperluan apa pak",
]:
    first("id", "offer_help", t, "pass")
for t in [
    "terima kasih sudah menelepon",
    "makasih banyak ya kak",
    "terima kasih atas kesabarannya bu",
    "matur nuwun sanget pak",
    "hatur nuhun pisan teh",
    "terima kasih, selamat siang",
]:
    last("id", "closing_thanks", t, "pass")
for t in ["sama sama bu", "oke sudah ya"]:
    last("id", "closing_thanks", t, "fail")
for t in [
    "how can I help today",
    "what can I do for you",
    "how may I assist",
    "what can I help you with",
    "go ahead, how can I help",
]:
    first("en", "offer_help", t, "pass")
for t in [
    "thanks for calling, bye",
    "thank you so much for your patience",
    "cheers for calling",
    "thanks a lot, take care",
]:
    last("en", "closing_thanks", t, "pass")
for t in ["you're welcome", "no worries, bye"]:
    last("en", "closing_thanks", t, "fail")


def test_offers_and_closing_thanks_in_other_words():
    wrong = []
    for lang, item, turns, want in COURTESY:
        r = run(lang, turns, item)
        if r.status != want:
            wrong.append(f"{lang} {item}: {turns} want {want}, got {r.status}")
    assert len(COURTESY) >= 25
    assert not wrong, "\n".join(wrong)


# Problem reports in words no trigger list holds: each opens the complaint items (and, with no apology
# following, fails apology_on_complaint).
REPORTS = []


def c(lang, text, want):
    REPORTS.append(
        (
            lang,
            "apology_on_complaint",
            [
                ("agent", "hello" if lang == "en" else "halo"),
                ("customer", text),
                ("agent", "okay" if lang == "en" else "oke"),
            ],
            want,
        )
    )


for t in [
    "my flight got moved without telling me",
    "the technician never showed",
    "I've been on hold for an hour",
    "the package was left in the rain and got soaked",
    "you charged me for a cancelled order",
    "the app keeps crashing",
    "the refund hasn't come through",
    "my card got declined even though I have money",
    "the driver was really rude to me",
    "I got the wrong meal on my flight",
    "my water bill is double this month",
    "the heating stopped working last night",
    "I was promised a call back and nobody rang",
    "your website took my money but no order",
]:
    c("en", t, "fail")
for t in [
    "paket saya basah kena hujan",
    "saya sudah nunggu di telepon sejam",
    "kurirnya nggak datang datang",
    "uang saya kepotong tapi pesanan tidak ada",
    "refund saya belum cair cair",
    "aplikasinya crash terus",
    "saya dijanjikan ditelepon balik tapi tidak ada",
    "petugasnya jutek banget",
    "kartu saya ditolak padahal saldonya ada",
    "pemanas air saya mati sejak semalam",
]:
    c("id", t, "fail")


def test_unlisted_problem_reports_open_the_complaint_items():
    wrong = []
    for lang, item, turns, want in REPORTS:
        r = run(lang, turns, item)
        if r.status != want:
            wrong.append(f"{lang}: {turns[1][1]!r} did not open a complaint ({r.reason})")
    assert len(REPORTS) >= 24
    assert not wrong, "\n".join(wrong)


# Apology, empathy, solutions and restatements in more words of our own.
AGENT_ACTS = []


def a(lang, item, text, want):
    AGENT_ACTS.append((lang, item, [ID_REPORT if lang == "id" else EN_REPORT, ("agent", text)], want))


for t in [
    "waduh, maaf ya bu jadi nunggu lama",
    "ya ampun maaf sekali kak",
    "kami minta maaf sebesar besarnya pak",
    "mohon maaf ya pak, ini kelalaian kami",
]:
    a("id", "apology_on_complaint", t, "pass")
for t in [
    "saya bisa merasakan kekesalan ibu",
    "wajar banget kalau kakak kecewa",
    "pasti nggak enak banget ya kak nunggu tanpa kabar",
    "saya juga bakal kesal kalau jadi bapak",
]:
    a("id", "empathy", t, "pass")
for t in [
    "paketnya saya lacak sekarang dan saya kirim pengganti hari ini",
    "saya buatkan pengajuan ganti rugi sekarang",
    "kakak bisa ambil paketnya di gerai terdekat mulai besok",
    "ongkos kirimnya kami kembalikan penuh",
    "saya jadwalkan pengiriman ulang besok pagi",
]:
    a("id", "solution_next_step", t, "pass")
for t in [
    "jadi intinya paket ibu belum sampai padahal sudah seminggu ya",
    "baik, saya ulangi, paketnya belum diterima sejak senin",
]:
    a("id", "confirm_problem", t, "pass")
for t in [
    "oh no, I'm so sorry",
    "I do apologise for the wait",
    "sorry for the hassle",
    "I'm really sorry this happened",
]:
    a("en", "apology_on_complaint", t, "pass")
for t in [
    "I'd be fed up too",
    "that's really not on, I get it",
    "I can hear how stressful this is",
    "that sounds incredibly frustrating",
]:
    a("en", "empathy", t, "pass")
for t in [
    "I've reordered it for you with express delivery",
    "we'll send a replacement out today",
    "I can offer you a full refund",
    "you can pick it up from the local office",
]:
    a("en", "solution_next_step", t, "pass")
for t in [
    "so the parcel hasn't turned up yet, is that right",
    "just so I've got this right, it's been a week",
    "okay, so nothing has arrived since last monday",
]:
    a("en", "confirm_problem", t, "pass")


def test_agent_acts_in_more_words():
    wrong = []
    for lang, item, turns, want in AGENT_ACTS:
        r = run(lang, turns, item)
        if r.status != want:
            wrong.append(f"{lang} {item}: {turns[-1][1]!r} want {want}, got {r.status}")
    assert len(AGENT_ACTS) >= 30
    assert not wrong, "\n".join(wrong)


# Satisfaction checks asked in other words; "call us again if ..." does not check now.
CHECKS = []


def a(lang, item, text, want):
    CHECKS.append(
        (
            lang,
            item,
            [
                ID_REPORT if lang == "id" else EN_REPORT,
                ("agent", "baik" if lang == "id" else "right"),
                ("agent", text),
            ],
            want,
        )
    )


for t in [
    "sudah terjawab semua ya bu",
    "ada lagi yang bisa saya bantu hari ini",
    "masih ada kendala lain pak",
    "kira kira sudah cukup ya kak",
    "ada pertanyaan lain seputar tagihan",
    "apa masih ada yang perlu saya bantu",
    "penjelasan saya sudah bisa dipahami bu",
]:
    a("id", "satisfaction_check", t, "pass")
for t in ["kalau ada kendala lagi hubungi kami ya", "nanti kalau belum sampai telepon lagi aja"]:
    a("id", "satisfaction_check", t, "fail")
for t in [
    "anything more I can help with",
    "is there something else you need",
    "does that sort it for you",
    "are you all set now",
    "have I covered what you needed",
    "is that all okay for you",
]:
    a("en", "satisfaction_check", t, "pass")
for t in ["ring us if it happens again", "call back if there's still a problem"]:
    a("en", "satisfaction_check", t, "fail")


def test_satisfaction_checks_in_other_words():
    wrong = []
    for lang, item, turns, want in CHECKS:
        r = run(lang, turns, item)
        if r.status != want:
            wrong.append(f"{lang} {item}: {turns[-1][1]!r} want {want}, got {r.status}")
    assert len(CHECKS) >= 17
    assert not wrong, "\n".join(wrong)


# The critical items over more than one turn: not knowing, then (or not) a promise to find out; more
# blaming in other words, and its reassuring opposite.
CRITICAL_TURNS = []


def a(lang, item, texts, want):
    CRITICAL_TURNS.append(
        (lang, item, [ID_REPORT if lang == "id" else EN_REPORT, *(("agent", t) for t in texts)], want)
    )


a("en", "no_saya_tidak_tahu", ["no idea, but let me find out for you"], "pass")
a("en", "no_saya_tidak_tahu", ["I'm not sure", "I'll check with my supervisor and come back to you"], "pass")
a("en", "no_saya_tidak_tahu", ["couldn't tell you, sorry"], "fail")
a("en", "no_saya_tidak_tahu", ["not a clue mate"], "fail")
a("en", "no_saya_tidak_tahu", ["I don't know", "anything else?"], "fail")
a("en", "no_saya_tidak_tahu", ["I don't know offhand", "let me look that up now"], "pass")
a("id", "no_saya_tidak_tahu", ["saya kurang tahu bu", "saya tanyakan ke bagian gudang dulu ya"], "pass")
a("id", "no_saya_tidak_tahu", ["wah saya nggak tau pak", "ada lagi pak"], "fail")
a("id", "no_saya_tidak_tahu", ["nggak tau saya kak", "tapi saya cari tahu sekarang"], "pass")
a("id", "no_saya_tidak_tahu", ["saya belum tahu penyebabnya bu", "saya cek ke tim teknis sekarang"], "pass")
a("en", "no_blaming_language", ["well, you should've checked the address before paying"], "fail")
a("en", "no_blaming_language", ["that's down to you, I'm afraid"], "fail")
a("en", "no_blaming_language", ["you clearly didn't read the email we sent"], "fail")
a("en", "no_blaming_language", ["maybe next time read the terms"], "fail")
a("id", "no_blaming_language", ["lain kali baca dulu ya bu syaratnya"], "fail")
a("id", "no_blaming_language", ["itu sudah jadi tanggungan bapak"], "fail")
a("id", "no_blaming_language", ["ya salah bapak kenapa kasih otp"], "fail")
a("id", "no_blaming_language", ["bapak nggak salah kok, ini dari sistem kami"], "pass")
a("en", "no_blaming_language", ["you haven't done anything wrong"], "pass")


def test_critical_items_over_several_turns():
    wrong = []
    for lang, item, turns, want in CRITICAL_TURNS:
        r = run(lang, turns, item)
        if r.status != want:
            wrong.append(f"{lang} {item}: {[t for _, t in turns[1:]]} want {want}, got {r.status}")
    assert len(CRITICAL_TURNS) >= 19
    assert not wrong, "\n".join(wrong)
