"""What keeps the public pages safe without an outside service: ticket codes, strict number
checks, name matching, the human check (a question in words, answered once) and throttles
counted in the database (so every server process counts the same)."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import ipaddress
import re
import secrets
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from warga.models import Batasan, SoalTerpakai

# -- Codes -----------------------------------------------------------------------------------------

# No 0/O, 1/I/L: a code read over the phone or copied by hand survives.
ALFABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PANJANG_KODE = 11  # 31^11 ≈ 2^54


def buat_kode(prefix: str) -> str:
    """'SG-7KQ2-M9XD-4TA': a random ticket code (about 54 bits), grouped for reading aloud."""
    body = "".join(secrets.choice(ALFABET) for _ in range(PANJANG_KODE))
    return f"{prefix}-{body[:4]}-{body[4:8]}-{body[8:]}"


def rapikan_kode(text: str) -> str:
    """What a citizen typed ('sg 7kq2 m9xd 4ta') in the stored form, or '' if it cannot be one."""
    raw = re.sub(r"[\s\-]", "", (text or "").upper())[:40]
    if not re.fullmatch(r"(US|SG)[A-Z0-9]{11}", raw, flags=re.ASCII):
        return ""
    return f"{raw[:2]}-{raw[2:6]}-{raw[6:10]}-{raw[10:]}"


def kode_publik() -> str:
    return "".join(secrets.choice(ALFABET) for _ in range(12))


def _hmac(*parts: object) -> str:
    message = "\x1f".join(str(p) for p in parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def token_baris(kode_publikasi: str, entri_id: int) -> str:
    """The opaque id of a published row (its Sanggah link): no database id can be read from it."""
    return _hmac("baris", kode_publikasi, entri_id)[:20]


# -- Input ----------------------------------------------------------------------------------------

_ENAM_BELAS = re.compile(r"[0-9]{16}", flags=re.ASCII)


def nomor16(value: str) -> bool:
    """Exactly 16 ASCII digits. str.isdigit() and \\d would also take Arabic-Indic or other
    scripts' digits, which no NIK or No. KK is written in."""
    return bool(_ENAM_BELAS.fullmatch(value or ""))


def rapikan_nama(text: str) -> str:
    """A name as compared: case, spaces and apostrophes do not count ("Ma'ruf" = "MARUF")."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = re.sub(r"['`´‘’ʼ]", "", text)
    return " ".join(text.split())


def samarkan_nik(nik: str) -> str:
    """'3574041705800001' -> '357404********01': the region part and the last two digits."""
    if len(nik) != 16:
        return "*" * 16
    return nik[:6] + "*" * 8 + nik[-2:]


def ip_of(request: HttpRequest) -> str:
    """The client's address as throttles count it; behind the proxy, the one the proxy appended
    last. An IPv6 address counts as its /64 network: one subscriber holds a whole /64, so
    counting single addresses would give them an unlimited budget."""
    raw = request.META.get("REMOTE_ADDR", "") or "?"
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            raw = forwarded.split(",")[-1].strip()
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw[:64]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


# -- Throttle --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Batas:
    aksi: str  # what is counted ("cek-ip", "nik", "aduan-ip", "tiket-ip")
    jumlah: int  # attempts allowed per window
    detik: int  # window length


def batas_cek_ip() -> Batas:
    return Batas("cek-ip", settings.WARGA_CEK_PER_JAM_IP, 3600)


def batas_nik() -> Batas:
    return Batas("nik", settings.WARGA_PER_HARI_NIK, 86400)


def batas_nama() -> Batas:
    """Checks naming one person per day, whatever the NIK: the published list shows a name with
    a masked NIK, and without this a name could be tried against NIK after NIK."""
    return Batas("nama", settings.WARGA_PER_HARI_NIK, 86400)


def batas_aduan_ip() -> Batas:
    return Batas("aduan-ip", settings.WARGA_ADUAN_PER_HARI_IP, 86400)


def batas_tiket_ip() -> Batas:
    return Batas("tiket-ip", settings.WARGA_TIKET_PER_JAM_IP, 3600)


SIMPAN_BATASAN = datetime.timedelta(days=2)


def _jendela(detik: int) -> datetime.datetime:
    now = timezone.now()
    start = int(now.timestamp()) // detik * detik
    return datetime.datetime.fromtimestamp(start, tz=datetime.UTC)


def masih_boleh(batas: Batas, nilai: str) -> bool:
    """Count one attempt of ``nilai`` (an IP address or a NIK) and say whether it is within the
    limit; an attempt over the limit is not counted (it changes nothing)."""
    kunci = _hmac("batas", batas.aksi, nilai)[:64]
    jendela = _jendela(batas.detik)
    with transaction.atomic():
        Batasan.objects.filter(jendela__lt=timezone.now() - SIMPAN_BATASAN).delete()
        try:
            with transaction.atomic():
                Batasan.objects.get_or_create(kunci=kunci, jendela=jendela)
        except IntegrityError:  # created at the same moment by another process
            pass
        row = Batasan.objects.select_for_update().get(kunci=kunci, jendela=jendela)
        if row.jumlah >= batas.jumlah:
            return False
        Batasan.objects.filter(pk=row.pk).update(jumlah=F("jumlah") + 1)
    return True


def sisa(batas: Batas, nilai: str) -> bool:
    """Whether one more attempt would be allowed, without counting it."""
    kunci = _hmac("batas", batas.aksi, nilai)[:64]
    row = Batasan.objects.filter(kunci=kunci, jendela=_jendela(batas.detik)).first()
    return row is None or row.jumlah < batas.jumlah


# -- Human check ----------------------------------------------------------------------------------

ANGKA = [
    "nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh",
    "sebelas", "dua belas", "tiga belas", "empat belas", "lima belas", "enam belas", "tujuh belas",
    "delapan belas", "sembilan belas", "dua puluh",
]  # fmt: skip
_SALT = "warga.soal"


@dataclass(frozen=True)
class Soal:
    pertanyaan: str
    token: str


def soal_baru() -> Soal:
    """A small sum in words; its answer travels only as an HMAC inside a signed, dated token."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    nonce = secrets.token_hex(16)
    token = signing.dumps({"n": nonce, "h": _hmac("soal", nonce, a + b)}, salt=_SALT)
    return Soal(_("Berapa %(a)s ditambah %(b)s?") % {"a": ANGKA[a], "b": ANGKA[b]}, token)


def baca_jawaban(text: str) -> int | None:
    text = " ".join((text or "").casefold().split())
    if re.fullmatch(r"[0-9]{1,2}", text, flags=re.ASCII):
        return int(text)
    return ANGKA.index(text) if text in ANGKA else None


def soal_benar(token: str, jawaban: str) -> bool:
    """Whether the question was answered right, in time and for the first time; a right answer
    uses the question up."""
    try:
        data = signing.loads(token or "", salt=_SALT, max_age=settings.WARGA_SOAL_MENIT * 60)
        nonce, expected = str(data["n"]), str(data["h"])
    except (signing.BadSignature, KeyError, TypeError):
        return False
    angka = baca_jawaban(jawaban)
    if angka is None or not hmac.compare_digest(expected, _hmac("soal", nonce, angka)):
        return False
    if SoalTerpakai.objects.filter(nonce=nonce).exists():
        return False
    return True


def pakai_soal(token: str) -> bool:
    """Mark a (checked) question used, inside the filing's transaction; False if a concurrent
    request used it first."""
    data = signing.loads(token, salt=_SALT, max_age=settings.WARGA_SOAL_MENIT * 60)
    batas = timezone.now() - datetime.timedelta(minutes=settings.WARGA_SOAL_MENIT + 5)
    SoalTerpakai.objects.filter(pada__lt=batas).delete()
    try:
        with transaction.atomic():
            SoalTerpakai.objects.create(nonce=str(data["n"]))
    except IntegrityError:
        return False
    return True
