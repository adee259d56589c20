#!/usr/bin/env python3
"""Write the key-strictness corpus of `rsalab keycheck`: vectors/data/keycheck/.

Every file breaks exactly one rule of a fixed valid RSA-2048 key (the rest
of the key stays consistent where the rule allows it), in a private form
(PKCS#1 RSAPrivateKey or PKCS#8) and a public form (SubjectPublicKeyInfo or
PKCS#1 RSAPublicKey) where both make sense.  The valid key itself is there
too, in every format, as the control every backend must accept.  The inputs
that the fuzz target fuzz_keyfile found backends to disagree on
(tests/fuzz/corpus/keyfile/divergence-*) are copied in unchanged.

index.txt lists each file with the format and encoding to import it as, the
expected verdict (accept: the valid controls; refuse: every other file), the
rule, where the rule comes from and what was changed.  docs/VECTORS.md
explains the rules.

    python3 scripts/keycheck_corpus.py [OUT_DIR]     # default vectors/data/keycheck

Python 3 standard library only.  The key comes from SHA-512 of fixed
strings, so every run writes the same bytes.
"""
import hashlib
import math
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import derkey as K  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FUZZ = os.path.join(ROOT, "tests", "fuzz", "corpus", "keyfile")


def seeded(label, bits):
    """An odd integer of exactly `bits` bits (top two bits set) from SHA-512."""
    out, i = b"", 0
    while len(out) * 8 < bits:
        out += hashlib.sha512(b"rsalab keycheck %s %d" % (label.encode(), i)).digest()
        i += 1
    v = int.from_bytes(out, "big") >> (len(out) * 8 - bits)
    return v | (3 << (bits - 2)) | 1


def prime(label, bits, e=65537):
    p = K.next_prime(seeded(label, bits))
    while math.gcd(e, p - 1) != 1:
        p = K.next_prime(p)
    return p


def key_from(p, q, e=65537):
    lam = (p - 1) * (q - 1) // math.gcd(p - 1, q - 1)
    return K.crt(p * q, e, pow(e, -1, lam), p, q)


def int_raw(body):
    """An INTEGER TLV from raw content octets (for deliberately bad ones)."""
    return K.tlv(0x02, body)


def n_bytes(n):
    return n.to_bytes((n.bit_length() + 7) // 8, "big")


class Corpus:
    def __init__(self, out):
        self.out = out
        self.lines = []

    def add(self, name, fmt, data, expect, rule, source, desc):
        enc = "pem" if name.endswith(".pem") else "der"
        mode = "w" if isinstance(data, str) else "wb"
        with open(os.path.join(self.out, name), mode) as f:
            f.write(data)
        self.lines.append(" | ".join((name, fmt, enc, expect, rule, source, desc)))

    def write_index(self):
        with open(os.path.join(self.out, "index.txt"), "w") as f:
            f.write(INDEX_HEAD)
            for line in self.lines:
                f.write(line + "\n")


INDEX_HEAD = """\
# The key-strictness corpus of `rsalab keycheck` (docs/VECTORS.md).
# Written by scripts/keycheck_corpus.py: do not edit, run the script.
#
# file | format | encoding | expect | rule | source | what was changed
#   format: pkcs1-priv, pkcs1-pub, pkcs8, spki (the format the file is
#   imported as); encoding: der or pem; expect: accept (the valid controls)
#   or refuse (every file that breaks a rule).
"""


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "vectors", "data", "keycheck")
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(out):
        os.remove(os.path.join(out, f))
    c = Corpus(out)

    p, q = prime("p", 1024), prime("q", 1024)
    if p < q:
        p, q = q, p
    base = key_from(p, q)
    n, e, d, p, q, dp, dq, qinv = base
    lam = (p - 1) * (q - 1) // math.gcd(p - 1, q - 1)

    def priv(comp, version=0):
        return K.rsa_private(*comp, version=version)

    def spki(n_, e_):
        return K.spki(K.rsa_public(n_, e_))

    priv_der = priv(base)
    p8_der = K.pkcs8(priv_der)
    spki_der = spki(n, e)
    pub_der = K.rsa_public(n, e)

    # -- the valid controls --
    ctl = ("valid", "control", "the valid RSA-2048 key (e = 65537) every file is made from")
    c.add("valid.pkcs1-priv.der", "pkcs1-priv", priv_der, "accept", *ctl)
    c.add("valid.pkcs1-priv.pem", "pkcs1-priv", K.pem("RSA PRIVATE KEY", priv_der), "accept", *ctl)
    c.add("valid.pkcs8.der", "pkcs8", p8_der, "accept", *ctl)
    c.add("valid.pkcs8.pem", "pkcs8", K.pem("PRIVATE KEY", p8_der), "accept", *ctl)
    c.add("valid.spki.der", "spki", spki_der, "accept", *ctl)
    c.add("valid.spki.pem", "spki", K.pem("PUBLIC KEY", spki_der), "accept", *ctl)
    c.add("valid.pkcs1-pub.der", "pkcs1-pub", pub_der, "accept", *ctl)
    c.add("valid.pkcs1-pub.pem", "pkcs1-pub", K.pem("RSA PUBLIC KEY", pub_der), "accept", *ctl)

    def add2(rule, source, desc, priv_bytes, pub_bytes, pub_fmt="spki"):
        if priv_bytes is not None:
            c.add("%s.pkcs1-priv.der" % rule, "pkcs1-priv", priv_bytes, "refuse", rule, source, desc)
        if pub_bytes is not None:
            c.add("%s.%s.der" % (rule, pub_fmt), pub_fmt, pub_bytes, "refuse", rule, source, desc)

    # -- DER encoding of the integers --
    nonmin_n = int_raw(b"\x00" + K.int_body(n))  # n already has its sign byte
    add2("der-nonminimal-int", "X.690 8.3.2 (DER: an INTEGER's first 9 bits are not all 0)",
         "n with a superfluous leading 00 byte",
         K.seq(K.der_int(0), nonmin_n, *(K.der_int(x) for x in base[1:])),
         K.spki(K.seq(nonmin_n, K.der_int(e))))
    neg_n = int_raw(n_bytes(n))  # top bit set, no sign byte: a negative INTEGER
    add2("negative-modulus", "RFC 8017 A.1.1-A.1.2 (n is a positive INTEGER); X.690 8.3.3",
         "n without its 00 sign byte, so the INTEGER is negative",
         K.seq(K.der_int(0), neg_n, *(K.der_int(x) for x in base[1:])),
         K.spki(K.seq(neg_n, K.der_int(e))))
    neg_e = bytes.fromhex("0201fd")
    add2("negative-e", "RFC 8017 A.1.1 (e is a positive INTEGER); X.690 8.3.3",
         "e = 02 01 FD (the INTEGER -3)", None, K.spki(K.seq(K.der_int(n), neg_e)))
    c.add("negative-e.pkcs1-pub.der", "pkcs1-pub", K.seq(K.der_int(n), neg_e), "refuse",
          "negative-e", "RFC 8017 A.1.1 (e is a positive INTEGER); X.690 8.3.3",
          "e = 02 01 FD (the INTEGER -3)")

    # -- the modulus --
    q2 = prime("q2047", 2047)
    even = key_from(2, q2)  # n = 2 q: every other value consistent
    add2("even-modulus", "SP 800-56B Rev. 2 6.4.2.1 (partial public-key validation: n odd)",
         "n = 2 * q (2048 bits), d and the CRT values consistent with p = 2",
         priv(even), spki(even[0], even[1]))
    q3 = prime("q751", 2038)
    small = key_from(q3, 751)
    add2("small-factor", "SP 800-56B Rev. 2 6.4.2.1 (n has no prime factor below 752)",
         "n = 751 * q (2048 bits), d and the CRT values consistent",
         priv(small), spki(small[0], small[1]))
    nprime = prime("nprime", 2048)
    c.add("prime-modulus.spki.der", "spki", spki(nprime, e), "refuse", "prime-modulus",
          "SP 800-56B Rev. 2 6.4.2.1 (n is not prime); RFC 8017 3.1 (n = p * q)",
          "n is a 2048-bit prime")
    qn = K.next_prime(q)
    c.add("pq-not-n.pkcs1-priv.der", "pkcs1-priv",
          priv((n, e, d, p, qn, dp, d % (qn - 1), pow(qn, -1, p))), "refuse", "pq-not-n",
          "RFC 8017 3.2 (n = p * q); SP 800-56B Rev. 2 6.4.1 (key-pair validation)",
          "q replaced by the next prime (dQ and qInv recomputed for it)")

    # -- the private values --
    def bad(rule, source, desc, comp):
        c.add("%s.pkcs1-priv.der" % rule, "pkcs1-priv", priv(comp), "refuse", rule, source, desc)

    bad("wrong-d", "RFC 8017 3.2 (e * d = 1 mod lambda(n)); SP 800-56B Rev. 2 6.4.1",
        "d + 2 (the CRT values stay right, so a CRT signer still works)",
        (n, e, d + 2, p, q, dp, dq, qinv))
    bad("wrong-dp", "RFC 8017 3.2 (dP = d mod (p - 1)); SP 800-56B Rev. 2 6.4.1 (CRT step)",
        "dP + 2", (n, e, d, p, q, dp + 2, dq, qinv))
    bad("wrong-dq", "RFC 8017 3.2 (dQ = d mod (q - 1)); SP 800-56B Rev. 2 6.4.1 (CRT step)",
        "dQ + 2", (n, e, d, p, q, dp, dq + 2, qinv))
    bad("wrong-qinv", "RFC 8017 3.2 (qInv = q^-1 mod p); SP 800-56B Rev. 2 6.4.1 (CRT step)",
        "qInv + 1", (n, e, d, p, q, dp, dq, (qinv + 1) % p))

    # -- the public exponent --
    add2("e-1", "RFC 8017 3.1 (3 <= e <= n - 1); SP 800-56B Rev. 2 6.2.1 (e >= 65537)",
         "e = 1 (d = dP = dQ = 1, consistent)", priv((n, 1, 1, p, q, 1, 1, qinv)), spki(n, 1))
    c.add("even-e.spki.der", "spki", spki(n, 65538), "refuse", "even-e",
          "RFC 8017 3.1 (gcd(e, lambda(n)) = 1); SP 800-56B Rev. 2 6.2.1 (e odd)",
          "e = 65538 (a private key with an even e cannot be consistent)")
    c.add("even-e.pkcs1-pub.der", "pkcs1-pub", K.rsa_public(n, 65538), "refuse", "even-e",
          "RFC 8017 3.1 (gcd(e, lambda(n)) = 1); SP 800-56B Rev. 2 6.2.1 (e odd)",
          "e = 65538")
    m = n // lam + 1
    e_big = e + m * lam  # > n, odd, and d still inverts it mod lambda(n)
    assert e_big > n and e_big % 2 == 1 and e_big * d % lam == 1
    add2("huge-e", "RFC 8017 3.1 (e <= n - 1); SP 800-56B Rev. 2 6.2.1 (e < 2^256)",
         "e = 65537 + m * lambda(n) > n (d, dP, dQ still invert it)",
         priv((n, e_big, d, p, q, dp, dq, qinv)), spki(n, e_big))

    # -- structure --
    c.add("version-2.pkcs1-priv.der", "pkcs1-priv", priv(base, version=2), "refuse",
          "version-2", "RFC 8017 A.1.2 (version 0, or 1 with otherPrimeInfos)",
          "RSAPrivateKey version 2")
    c.add("version-2.pkcs8.der", "pkcs8", K.pkcs8(priv_der, version=2), "refuse", "version-2",
          "RFC 5208 5 (PrivateKeyInfo version 0); RFC 5958 2 (1 for OneAsymmetricKey)",
          "PrivateKeyInfo version 2")
    tb = ("trailing-bytes", "X.690 8.1.1 (one TLV); rsalab's interface: DER input is exact",
          "one 00 byte after the DER value")
    c.add("trailing-bytes.pkcs1-priv.der", "pkcs1-priv", priv_der + b"\x00", "refuse", *tb)
    c.add("trailing-bytes.pkcs8.der", "pkcs8", p8_der + b"\x00", "refuse", *tb)
    c.add("trailing-bytes.spki.der", "spki", spki_der + b"\x00", "refuse", *tb)
    c.add("trailing-bytes.pkcs1-pub.der", "pkcs1-pub", pub_der + b"\x00", "refuse", *tb)

    # -- PEM --
    c.add("wrong-pem-label.pkcs8.pem", "pkcs8", K.pem("RSA PRIVATE KEY", p8_der), "refuse",
          "wrong-pem-label", "RFC 7468 10-11 (PRIVATE KEY labels PKCS#8)",
          "a PKCS#8 body under the label RSA PRIVATE KEY, imported as PKCS#8")
    c.add("wrong-pem-label.spki.pem", "spki", K.pem("RSA PUBLIC KEY", spki_der), "refuse",
          "wrong-pem-label", "RFC 7468 13 (PUBLIC KEY labels SubjectPublicKeyInfo)",
          "a SubjectPublicKeyInfo body under the label RSA PUBLIC KEY, imported as SPKI")

    def blank(text):
        lines = text.split("\n")
        return "\n".join(lines[:3] + [""] + lines[3:])

    pb = ("pem-blank-line", "RFC 7468 3 (strict: no blank line inside the base64 text)",
          "an empty line after the second base64 line")
    c.add("pem-blank-line.pkcs8.pem", "pkcs8", blank(K.pem("PRIVATE KEY", p8_der)), "refuse", *pb)
    c.add("pem-blank-line.spki.pem", "spki", blank(K.pem("PUBLIC KEY", spki_der)), "refuse", *pb)

    # -- what the fuzzer found, unchanged --
    fz = [
        ("divergence-pem-blank-line.pem", "pkcs8", "pem-blank-line",
         "RFC 7468 3", "fuzz_keyfile: RSA-512 PKCS#8 PEM with a blank line in its base64"),
        ("divergence-pkcs1-version2.der", "pkcs1-priv", "version-2",
         "RFC 8017 A.1.2", "fuzz_keyfile: RSA-512 RSAPrivateKey with version 2"),
        ("divergence-pkcs8-inner-version102.der", "pkcs8", "version-2",
         "RFC 8017 A.1.2", "fuzz_keyfile: PKCS#8 whose inner RSAPrivateKey has version 102"),
        ("divergence-prime-modulus.der", "spki", "prime-modulus",
         "SP 800-56B Rev. 2 6.4.2.1", "fuzz_keyfile: SPKI whose 1024-bit n is prime"),
        ("divergence-spki-negative-e.der", "spki", "negative-e",
         "RFC 8017 A.1.1; X.690 8.3.3", "fuzz_keyfile: SPKI with e = 02 01 FD"),
        ("divergence-spki-negative-e.pem", "spki", "negative-e",
         "RFC 8017 A.1.1; X.690 8.3.3", "fuzz_keyfile: the same in PEM"),
        ("divergence-spki-nonminimal-int.der", "spki", "der-nonminimal-int",
         "X.690 8.3.2", "fuzz_keyfile: SPKI of RSA-512 whose n has a superfluous 00 byte"),
    ]
    for name, fmt, rule, source, desc in fz:
        shutil.copyfile(os.path.join(FUZZ, name), os.path.join(out, name))
        enc = "pem" if name.endswith(".pem") else "der"
        c.lines.append(" | ".join((name, fmt, enc, "refuse", rule, source, desc)))

    c.write_index()


if __name__ == "__main__":
    main()
