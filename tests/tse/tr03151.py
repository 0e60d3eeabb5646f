"""An independent check of the simulator's signatures: the BSI TR-03151 transaction log message
rebuilt here with a hand-written DER encoder (not the store's asn1crypto code), and the plain ECDSA
signature checked with the public key, as a verifier of TSE exports does."""

import base64

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def tlv(tag: int, value: bytes) -> bytes:
    n = len(value)
    length = (
        bytes([n])
        if n < 128
        else bytes([0x80 | ((n.bit_length() + 7) // 8)]) + n.to_bytes((n.bit_length() + 7) // 8, "big")
    )
    return bytes([tag]) + length + value


def integer(value: int, tag: int = 0x02) -> bytes:
    raw = value.to_bytes(value.bit_length() // 8 + 1, "big", signed=True)  # shortest, sign bit 0
    return tlv(tag, raw)


def oid(dotted: str) -> bytes:
    parts = [int(p) for p in dotted.split(".")]
    body = bytes([40 * parts[0] + parts[1]])
    for part in parts[2:]:
        chunk = [part & 0x7F]
        part >>= 7
        while part:
            chunk.insert(0, 0x80 | (part & 0x7F))
            part >>= 7
        body += bytes(chunk)
    return tlv(0x06, body)


def finish_dtbs(serial_hex, client, process_type, process_data, number, counter, log_time) -> bytes:
    """version ‖ certifiedDataType ‖ certifiedData ‖ serialNumber ‖ signatureAlgorithm ‖
    signatureCounter ‖ logTime, each DER encoded (TR-03151 transaction log, FinishTransaction)."""
    return b"".join(
        [
            integer(2),
            oid("0.4.0.127.0.7.3.7.1.1"),
            tlv(0x80, b"FinishTransaction"),
            tlv(0x81, client.encode()),
            tlv(0x82, process_data.encode("utf-8")),
            tlv(0x83, process_type.encode()),
            integer(number, 0x85),
            tlv(0x04, bytes.fromhex(serial_hex)),
            tlv(0x30, oid("0.4.0.127.0.7.1.1.4.1.3")),
            integer(counter),
            integer(log_time),
        ]
    )


def verify_plain(public_key_b64: str, signature: bytes, data: bytes) -> bool:
    public = ec.EllipticCurvePublicKey.from_encoded_point(
        ec.SECP256R1(), base64.b64decode(public_key_b64)
    )
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    try:
        public.verify(encode_dss_signature(r, s), data, ec.ECDSA(hashes.SHA256()))
        return True
    except Exception:  # noqa: BLE001 - InvalidSignature and malformed input alike
        return False


def _read(data: bytes, at: int) -> tuple[bytes, int]:
    """The TLV starting at `at` (single-byte tags) and where the next one starts."""
    length, head = data[at + 1], 2
    if length & 0x80:
        count = length & 0x7F
        length, head = int.from_bytes(data[at + 2 : at + 2 + count], "big"), 2 + count
    end = at + head + length
    return data[at:end], end


def elements(message: bytes) -> list[bytes]:
    """The DER elements inside a log message's outer SEQUENCE."""
    outer, end = _read(message, 0)
    assert outer[0] == 0x30 and end == len(message)
    at = 2 if message[1] < 0x80 else 2 + (message[1] & 0x7F)
    parts = []
    while at < len(message):
        part, at = _read(message, at)
        parts.append(part)
    return parts
