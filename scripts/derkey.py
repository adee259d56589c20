"""DER and PEM for RSA keys, and the little number theory the vector and
corpus scripts need (scripts/siggen_vectors.py, scripts/keycheck_corpus.py).

Python 3 standard library only.  Every function is deterministic: the
scripts that use it write the same bytes on every run.
"""
import base64
import math

RSA_OID = bytes.fromhex("06092a864886f70d010101")  # 1.2.840.113549.1.1.1
ALG_RSA = b"\x30\x0d" + RSA_OID + b"\x05\x00"      # with NULL parameters


def der_len(n):
    """Definite length in its shortest form."""
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def tlv(tag, body):
    return bytes([tag]) + der_len(len(body)) + body


def int_body(v):
    """Minimal two's-complement content octets of an INTEGER."""
    if v == 0:
        return b"\x00"
    n = (v.bit_length() + 8) // 8 if v > 0 else ((-v - 1).bit_length() + 8) // 8
    return v.to_bytes(n, "big", signed=True)


def der_int(v):
    return tlv(0x02, int_body(v))


def seq(*items):
    return tlv(0x30, b"".join(items))


def rsa_private(n, e, d, p, q, dp, dq, qinv, version=0):
    """PKCS#1 RSAPrivateKey."""
    return seq(*(der_int(x) for x in (version, n, e, d, p, q, dp, dq, qinv)))


def rsa_public(n, e):
    """PKCS#1 RSAPublicKey."""
    return seq(der_int(n), der_int(e))


def pkcs8(rsa_private_der, version=0):
    """PrivateKeyInfo around an RSAPrivateKey."""
    return seq(der_int(version), ALG_RSA, tlv(0x04, rsa_private_der))


def spki(rsa_public_der):
    """SubjectPublicKeyInfo around an RSAPublicKey."""
    return seq(ALG_RSA, tlv(0x03, b"\x00" + rsa_public_der))


def pem(label, der):
    b64 = base64.b64encode(der).decode()
    lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
    return "-----BEGIN %s-----\n%s\n-----END %s-----\n" % (label, "\n".join(lines), label)


def crt(n, e, d, p, q):
    """The full component tuple (n, e, d, p, q, dp, dq, qinv)."""
    return (n, e, d, p, q, d % (p - 1), d % (q - 1), pow(q, -1, p))


def recover_factors(n, e, d):
    """p > q from n, e, d (the square roots of 1 that e*d - 1 exposes,
    NIST SP 800-56B rev. 2 appendix C.2), bases 2, 3, 4, ... in turn."""
    k = e * d - 1
    t = 0
    r = k
    while r % 2 == 0:
        r //= 2
        t += 1
    for g in range(2, 1000):
        y = pow(g, r, n)
        if y in (1, n - 1):
            continue
        for _ in range(t):
            x = y * y % n
            if x == 1:
                p = math.gcd(y - 1, n)
                q = n // p
                return (p, q) if p > q else (q, p)
            if x == n - 1:
                break
            y = x
    raise ValueError("cannot factor n from e and d")


SMALL_PRIMES = [p for p in range(3, 2000) if all(p % f for f in range(2, int(p ** 0.5) + 1))]


def is_probable_prime(n):
    """Miller-Rabin with the first 40 odd primes as bases (deterministic)."""
    if n < 2:
        return False
    for f in [2] + SMALL_PRIMES:
        if n % f == 0:
            return n == f
    r, s = n - 1, 0
    while r % 2 == 0:
        r //= 2
        s += 1
    for a in SMALL_PRIMES[:40]:
        x = pow(a, r, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def next_prime(n):
    n += 1
    if n % 2 == 0:
        n += 1
    while not is_probable_prime(n):
        n += 2
    return n
