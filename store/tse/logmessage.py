"""The transaction log message of BSI TR-03151 and the export file names of BSI TR-03153, for the
simulator: what it signs, so that a verifier of real TSE exports accepts its signatures.

A log message is the DER encoding of

    LogMessage ::= SEQUENCE {
        version               INTEGER (2),
        certifiedDataType     OBJECT IDENTIFIER,   -- id-SE-API-transaction-log 0.4.0.127.0.7.3.7.1.1
        certifiedData         (the fields of the transaction log, below, not wrapped),
        serialNumber          OCTET STRING,        -- SHA-256 of the public key
        signatureAlgorithm    SEQUENCE { algorithm OBJECT IDENTIFIER },  -- ecdsa-plain-SHA256
        signatureCounter      INTEGER,
        logTime               INTEGER,             -- unixTime
        signatureValue        OCTET STRING }       -- plain r ‖ s

    TransactionLog certifiedData ::=
        operationType         [0] IMPLICIT PrintableString,  -- StartTransaction | … | FinishTransaction
        clientId              [1] IMPLICIT PrintableString,
        processData           [2] IMPLICIT OCTET STRING,
        processType           [3] IMPLICIT PrintableString,
        transactionNumber     [5] IMPLICIT INTEGER

The signature covers the DER encodings of every element from version to logTime, one after the other
(the data to be signed, without the outer SEQUENCE and without the signature value). asn1crypto does
the DER encoding.
"""

from asn1crypto import core

VERSION = 2
TRANSACTION_LOG = "0.4.0.127.0.7.3.7.1.1"  # bsi-de id-SE-API transaction log
ECDSA_PLAIN_SHA256 = "0.4.0.127.0.7.1.1.4.1.3"  # bsi-de ecdsa-plain-SHA256 (BSI TR-03111)
OPERATIONS = {"Start": "StartTransaction", "Update": "UpdateTransaction", "Finish": "FinishTransaction"}


class _Algorithm(core.Sequence):
    _fields = [("algorithm", core.ObjectIdentifier)]


class LogMessage(core.Sequence):
    """A transaction log message (certifiedData inlined, as TR-03151 defines it)."""

    _fields = [
        ("version", core.Integer),
        ("certified_data_type", core.ObjectIdentifier),
        ("operation_type", core.PrintableString, {"implicit": 0}),
        ("client_id", core.PrintableString, {"implicit": 1}),
        ("process_data", core.OctetString, {"implicit": 2}),
        ("process_type", core.PrintableString, {"implicit": 3}),
        ("transaction_number", core.Integer, {"implicit": 5}),
        ("serial_number", core.OctetString),
        ("signature_algorithm", _Algorithm),
        ("signature_counter", core.Integer),
        ("log_time", core.Integer),
        ("signature_value", core.OctetString),
    ]


def _message(
    serial: bytes,
    operation: str,
    client_id: str,
    process_type: str,
    process_data: str,
    number: int,
    counter: int,
    log_time: int,
    signature: bytes = b"",
) -> LogMessage:
    return LogMessage(
        {
            "version": VERSION,
            "certified_data_type": TRANSACTION_LOG,
            "operation_type": OPERATIONS[operation],
            "client_id": client_id,
            "process_data": process_data.encode("utf-8"),
            "process_type": process_type,
            "transaction_number": number,
            "serial_number": serial,
            "signature_algorithm": {"algorithm": ECDSA_PLAIN_SHA256},
            "signature_counter": counter,
            "log_time": log_time,
            "signature_value": signature,
        }
    )


def to_be_signed(
    serial: bytes,
    operation: str,
    client_id: str,
    process_type: str,
    process_data: str,
    number: int,
    counter: int,
    log_time: int,
) -> bytes:
    """The data the TSE signs for one log message: every element from version to logTime, DER."""
    message = _message(
        serial, operation, client_id, process_type, process_data, number, counter, log_time
    )
    return b"".join(message[name].dump() for name, *_ in LogMessage._fields[:-1])


def log_message(
    serial: bytes,
    operation: str,
    client_id: str,
    process_type: str,
    process_data: str,
    number: int,
    counter: int,
    log_time: int,
    signature: bytes,
) -> bytes:
    """The whole log message (DER), as it is written to the TSE's export."""
    return _message(
        serial, operation, client_id, process_type, process_data, number, counter, log_time, signature
    ).dump()


def file_name(log_time: int, counter: int, number: int, operation: str, client_id: str) -> str:
    """'Unixt_1764583392_Sig-12_Log-Tra_No-5_Finish_Client-K1-0001.log' (TR-03151/TR-03153)."""
    return f"Unixt_{log_time}_Sig-{counter}_Log-Tra_No-{number}_{operation}_Client-{client_id}.log"
