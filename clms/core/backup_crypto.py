"""The encryption of a backup archive (clms/core/backup.py): AES-256-GCM from ``cryptography``,
the key derived from the passphrase with scrypt; a wrong passphrase or a damaged file is
refused before anything is restored."""

from __future__ import annotations

import os
from pathlib import Path

MAGIC = b"CLMSBAK1"
_SALT_BYTES = 16
_NONCE_BYTES = 12
_TAG_BYTES = 16
CHUNK = 1024 * 1024
# scrypt cost: ~0.1 s and 32 MiB on a small server, per backup or restore, not per block.
_SCRYPT = {"n": 2**15, "r": 8, "p": 1}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for an administrator."""


def _key(passphrase: str, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, **_SCRYPT).derive(passphrase.encode())


def encrypt_file(src: Path, dst: Path, passphrase: str) -> None:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    salt, nonce = os.urandom(_SALT_BYTES), os.urandom(_NONCE_BYTES)
    encryptor = Cipher(algorithms.AES(_key(passphrase, salt)), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(MAGIC)
    with src.open("rb") as fin, dst.open("wb") as fout:
        fout.write(MAGIC + salt + nonce)
        while chunk := fin.read(CHUNK):
            fout.write(encryptor.update(chunk))
        fout.write(encryptor.finalize())
        fout.write(encryptor.tag)


def is_encrypted(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(len(MAGIC)) == MAGIC


def decrypt_file(src: Path, dst: Path, passphrase: str) -> None:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    size = src.stat().st_size
    header = len(MAGIC) + _SALT_BYTES + _NONCE_BYTES
    if size < header + _TAG_BYTES:
        raise BackupError("the backup file is truncated")
    with src.open("rb") as fin, dst.open("wb") as fout:
        fin.read(len(MAGIC))
        salt, nonce = fin.read(_SALT_BYTES), fin.read(_NONCE_BYTES)
        fin.seek(size - _TAG_BYTES)
        tag = fin.read(_TAG_BYTES)
        fin.seek(header)
        decryptor = Cipher(algorithms.AES(_key(passphrase, salt)), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(MAGIC)
        remaining = size - header - _TAG_BYTES
        while remaining > 0:
            chunk = fin.read(min(CHUNK, remaining))
            remaining -= len(chunk)
            fout.write(decryptor.update(chunk))
        try:
            fout.write(decryptor.finalize())
        except InvalidTag:
            raise BackupError("wrong passphrase, or the backup file is damaged") from None
