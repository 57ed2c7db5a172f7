"""PAdES signatures on official transcripts (pyHanko) and their validation.

The signing certificate and key come from settings (`STS_SIGNING_CERT`, `STS_SIGNING_KEY`,
optional `STS_SIGNING_KEY_PASSPHRASE`); `make run` creates a self-signed demo pair under var/
(`ensure_demo_certificate`), production points at the state's. Signatures are PAdES baseline
B-B (signing time, signer certificate, no timestamp): B-T/B-LT need a timestamp authority and
revocation data from the network, which this system does not reach.

Validation trusts only the configured certificate (and `STS_SIGNING_TRUST_ROOTS`, the state's CA
chain in production): a PDF re-signed with any other key is not genuine.
"""
from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)
FIELD_NAME = "STSOfficialTranscript"
SIGNATURE_BYTES = 16384  # room for the CMS container: certificate chain + signature (a 4096-bit chain fits)


class SigningNotConfigured(Exception):
    pass


def _paths():
    cert, key = getattr(settings, "STS_SIGNING_CERT", ""), getattr(settings, "STS_SIGNING_KEY", "")
    if not cert or not key or not Path(cert).exists() or not Path(key).exists():
        raise SigningNotConfigured(
            "No signing certificate: set STS_SIGNING_CERT and STS_SIGNING_KEY (make run creates a demo pair "
            "with `manage.py sts_signing_cert`).")
    return Path(cert), Path(key)


def _cached_key_signer_class():
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from cryptography.hazmat.primitives.serialization import load_der_private_key
    from pyhanko.sign import signers
    from pyhanko.sign.general import get_pyca_cryptography_hash

    class CachedKeySigner(signers.SimpleSigner):
        """pyHanko's SimpleSigner parses its key again for every signature (and twice per PDF);
        RSA key parsing checks the key and costs ~30 ms. This keeps the parsed key."""

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            key = getattr(self, "_pyca_key", None)
            if key is None:
                key = self._pyca_key = load_der_private_key(self.signing_key.dump(), password=None)
            hash_algo = get_pyca_cryptography_hash(digest_algorithm)
            if mechanism == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
                return key.sign(data, padding.PKCS1v15(), hash_algo)
            if mechanism == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
                return key.sign(data, ec.ECDSA(hash_algo))
            return super().sign_raw(data, digest_algorithm)
    return CachedKeySigner


@lru_cache(maxsize=4)
def _signer(cert_path: str, key_path: str, mtime: float):
    passphrase = getattr(settings, "STS_SIGNING_KEY_PASSPHRASE", "") or None
    from pyhanko.sign import signers

    loaded = signers.SimpleSigner.load(key_path, cert_path, key_passphrase=passphrase.encode() if passphrase else None)
    if loaded is None:
        raise SigningNotConfigured(f"Could not load the signing key {key_path} and certificate {cert_path}.")
    return _cached_key_signer_class()(signing_cert=loaded.signing_cert, signing_key=loaded.signing_key,
                                      cert_registry=loaded.cert_registry)


def signer():
    cert, key = _paths()
    return _signer(str(cert), str(key), cert.stat().st_mtime + key.stat().st_mtime)


def _require_matching_key(loaded):
    """A key of another certificate signs, but no signature it makes would verify."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_der_private_key

    public = load_der_private_key(loaded.signing_key.dump(), password=None).public_key()
    if public.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo) != loaded.signing_cert.public_key.dump():
        raise SigningNotConfigured("the signing key does not belong to the signing certificate.")


STATE_STAFF_FIX = ("State staff: install a readable certificate and key (STS_SIGNING_CERT, STS_SIGNING_KEY, "
                   "STS_SIGNING_KEY_PASSPHRASE), restart the web server and workers, then certify again. "
                   "Nothing was queued.")


def require_signer():
    """Raise SigningNotConfigured, with what state staff must fix, unless official transcripts
    can be signed now. Certification calls this before it queues anyone: a missing or unreadable
    key is a configuration fault, never a graduate's rejection."""
    try:
        loaded = signer()
        _require_matching_key(loaded)
    except SigningNotConfigured as exc:
        raise SigningNotConfigured(f"Official transcripts cannot be signed: {exc} {STATE_STAFF_FIX}") from None
    except (OSError, ValueError, TypeError) as exc:  # unreadable, not PEM/DER, wrong passphrase
        cert, key = _paths()
        raise SigningNotConfigured(f"Official transcripts cannot be signed: the signing key {key} or certificate "
                                   f"{cert} could not be read ({type(exc).__name__}: {exc}). {STATE_STAFF_FIX}") from None


def sign_pdf(pdf: bytes, *, reason: str, location: str = "Louisiana Department of Education",
             field_name: str = FIELD_NAME) -> bytes:
    """The PDF with an invisible PAdES B-B signature over every byte."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(field_name=field_name, md_algorithm="sha256", reason=reason,
                                        location=location, subfilter=fields.SigSeedSubFilter.PADES)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    # A fixed reservation skips pyHanko's trial signature that sizes the container.
    out = signers.PdfSigner(meta, signer=signer()).sign_pdf(writer, bytes_reserved=SIGNATURE_BYTES)
    return out.getvalue()


@lru_cache(maxsize=4)
def _trust_roots(cert_path: str, extra: tuple[str, ...], mtime: float):
    from pyhanko.keys import load_cert_from_pemder

    return [load_cert_from_pemder(p) for p in (cert_path, *extra)]


def trust_roots():
    cert, _key = _paths()
    extra = tuple(str(p) for p in getattr(settings, "STS_SIGNING_TRUST_ROOTS", ()) if p)
    return _trust_roots(str(cert), extra, cert.stat().st_mtime)


@dataclass(frozen=True)
class SignatureCheck:
    genuine: bool
    problem: str = ""  # why not genuine, as a person reads it
    signer: str = ""
    signed_at: dt.datetime | None = None


def check_signature(pdf: bytes) -> SignatureCheck:
    """Genuine means: one signature, cryptographically intact, covering the whole file, made by a
    trusted certificate. Garbage input gives a SignatureCheck, never an exception."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # any parse failure of an uploaded file: not a PDF we made
        return SignatureCheck(False, "The file is not a readable PDF.")
    if not signatures:
        return SignatureCheck(False, "The PDF carries no digital signature.")
    sig = signatures[-1]
    try:
        context = ValidationContext(trust_roots=trust_roots(), allow_fetching=False, revocation_mode="soft-fail")
        status = validate_pdf_signature(sig, context)
    except SigningNotConfigured:
        raise
    except Exception as exc:
        log.info("signature validation failed: %s", exc)
        return SignatureCheck(False, "The digital signature could not be validated.")
    name = status.signing_cert.subject.human_friendly if status.signing_cert else ""
    if not status.intact or not status.valid:
        return SignatureCheck(False, "The document was changed after it was signed (the signature does not match).", name)
    if not status.trusted:
        return SignatureCheck(False, "The signature was not made by the Louisiana Department of Education's certificate.",
                              name)
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return SignatureCheck(False, "Content was added to the document after it was signed.", name)
    return SignatureCheck(True, "", name, status.signer_reported_dt)


# --- the demo certificate ------------------------------------------------------------------------

def make_self_signed(cert_path: Path, key_path: Path, common_name="STS Demo Signing (NOT the state's certificate)",
                     days=3650):
    """A self-signed RSA certificate fit for PDF signing (digitalSignature + nonRepudiation)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
                      x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Louisiana"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Student Transcript System (demo)"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_path.chmod(0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def ensure_demo_certificate() -> bool:
    """Create the configured certificate pair if both files are missing (demo/laptop). Returns
    True when it created them. Never overwrites an existing key."""
    cert, key = Path(settings.STS_SIGNING_CERT), Path(settings.STS_SIGNING_KEY)
    if cert.exists() or key.exists():
        return False
    make_self_signed(cert, key)
    return True
