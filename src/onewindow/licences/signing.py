"""Signing and checking a licence (R-MSG-2): Ed25519 through ``cryptography``.

One key pair per center. The private key is kept only as ciphertext under the field
encryption key (``core/crypto.py``: the same Fernet keys, rotation included), never in
the clear in the database; it is decrypted in memory for the moment of signing.

The signature covers the canonical bytes of a licence's payload: a fixed domain label,
then the payload as JSON with sorted keys, no spaces, UTF-8. Any change of a field, of
its type or of the key set gives other bytes, and the signature no longer verifies.
"""

from __future__ import annotations

import base64
import hashlib
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from onewindow.core import crypto

DOMAIN = b"onewindow-licence:v1\n"


def new_key_pair() -> tuple[str, str, str]:
    """A new key pair: (key id, public key PEM, private key ciphertext)."""
    private = Ed25519PrivateKey.generate()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    key_id = hashlib.sha256(public_pem.encode()).hexdigest()[:16]
    return key_id, public_pem, crypto.encrypt(base64.b64encode(raw).decode())


def canonical(payload: dict) -> bytes:
    """The bytes a licence's signature covers."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return DOMAIN + text.encode("utf-8")


def sign(private_key_cipher: str, payload: dict) -> str:
    raw = base64.b64decode(crypto.decrypt(private_key_cipher))
    key = Ed25519PrivateKey.from_private_bytes(raw)
    return base64.b64encode(key.sign(canonical(payload))).decode()


def verify(public_pem: str, payload: dict, signature: str) -> bool:
    """Whether ``signature`` is the center's over ``payload`` (False on any malformation)."""
    try:
        key = serialization.load_pem_public_key(public_pem.encode())
        if not isinstance(key, Ed25519PublicKey):
            return False
        key.verify(base64.b64decode(signature, validate=True), canonical(payload))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
