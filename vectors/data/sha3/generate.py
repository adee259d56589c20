#!/usr/bin/env python3
"""Make the SHA3-256 RSA test files of this folder with the openssl tool.

Writes three files in the Wycheproof v1 schemas (the ones the rsalab
Wycheproof runner reads):

  rsa_signature_2048_sha3_256_test.json      rsassa_pkcs1_verify_schema_v1
  rsa_pss_2048_sha3_256_mgf1_32_test.json    rsassa_pss_verify_schema_v1
  rsa_oaep_2048_sha3_256_mgf1sha3_256_test.json  rsaes_oaep_decrypt_schema_v1

Every signature and ciphertext comes from `openssl dgst` / `openssl pkeyutl`
(OpenSSL 3) with a fresh 2048-bit key from `openssl genpkey`.  Each case is
checked against the openssl tool before it is written: a valid case must
verify (decrypt to its message), an invalid one must be refused.  Invalid
cases: a modified signature or ciphertext byte, the right padding over the
wrong hash (SHA-256, SHA3-384), a wrong MGF1 hash, a wrong PSS salt length,
a wrong OAEP label, another message.

Usage: python3 generate.py [OUTDIR]   (default: the folder of this script)
"""
import json
import os
import subprocess
import sys
import tempfile

HASH = "sha3-256"


def run(args, data=None, ok=True):
    p = subprocess.run(args, input=data, capture_output=True)
    if ok and p.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(args), p.stderr.decode()))
    return p


# ---- a small DER reader for the key components ------------------------------

def der_read(b, i):
    tag = b[i]
    n = b[i + 1]
    i += 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(b[i:i + k], "big")
        i += k
    return tag, b[i:i + n], i + n


def der_seq(b):
    out, i = [], 0
    while i < len(b):
        tag, v, i = der_read(b, i)
        out.append((tag, v))
    return out


def hexint(v):
    return v.hex()


class Key:
    def __init__(self, work):
        self.pem = os.path.join(work, "key.pem")
        self.pub = os.path.join(work, "pub.pem")
        run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt",
             "rsa_keygen_bits:2048", "-out", self.pem])
        run(["openssl", "pkey", "-in", self.pem, "-pubout", "-out", self.pub])
        pkcs8 = run(["openssl", "pkcs8", "-topk8", "-nocrypt", "-in", self.pem,
                     "-outform", "DER"]).stdout
        spki = run(["openssl", "pkey", "-in", self.pem, "-pubout", "-outform", "DER"]).stdout
        _, body, _ = der_read(pkcs8, 0)
        parts = der_seq(body)
        _, rsa_body, _ = der_read(parts[2][1], 0)  # the RSAPrivateKey in the OCTET STRING
        ints = [v for _, v in der_seq(rsa_body)]
        names = ["version", "modulus", "publicExponent", "privateExponent", "prime1",
                 "prime2", "exponent1", "exponent2", "coefficient"]
        self.comp = {k: hexint(v) for k, v in zip(names, ints) if k != "version"}
        self.pkcs8 = pkcs8.hex()
        self.spki = spki.hex()
        _, spki_body, _ = der_read(spki, 0)
        bitstr = der_seq(spki_body)[1][1]
        self.rsapub = bitstr[1:].hex()
        self.pem_text = open(self.pem).read()
        self.pub_text = open(self.pub).read()

    def public_group(self):
        return {
            "keySize": 2048,
            "publicKey": {"type": "RsaPublicKey", "keySize": 2048,
                          "modulus": self.comp["modulus"],
                          "publicExponent": self.comp["publicExponent"]},
            "publicKeyAsn": self.rsapub,
            "publicKeyDer": self.spki,
            "publicKeyPem": self.pub_text,
        }

    def private_group(self):
        pk = {"type": "RsaPrivateKey", "keySize": 2048}
        pk.update(self.comp)
        return {"keySize": 2048, "privateKey": pk, "privateKeyPkcs8": self.pkcs8,
                "privateKeyPem": self.pem_text}


# ---- openssl operations -------------------------------------------------------

def pss_opts(md, mgf, salt):
    return ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:%d" % salt,
            "-sigopt", "rsa_mgf1_md:" + mgf]


def sign(key, msg, md, pss=None):
    args = ["openssl", "dgst", "-" + md, "-sign", key.pem] + (pss_opts(*pss) if pss else [])
    return run(args, msg).stdout


def verify(key, msg, sig, md, pss=None, work="."):
    path = os.path.join(work, "sig.bin")
    with open(path, "wb") as f:
        f.write(sig)
    args = ["openssl", "dgst", "-" + md, "-verify", key.pub, "-signature", path]
    if pss:
        args += pss_opts(*pss)
    return run(args, msg, ok=False).returncode == 0


def oaep_opts(md, mgf, label):
    o = ["-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:" + md,
         "-pkeyopt", "rsa_mgf1_md:" + mgf]
    if label:
        o += ["-pkeyopt", "rsa_oaep_label:" + label.hex()]
    return o


def encrypt(key, msg, md=HASH, mgf=HASH, label=b""):
    return run(["openssl", "pkeyutl", "-encrypt", "-pubin", "-inkey", key.pub] +
               oaep_opts(md, mgf, label), msg).stdout


def decrypt(key, ct, label=b""):
    p = run(["openssl", "pkeyutl", "-decrypt", "-inkey", key.pem] +
            oaep_opts(HASH, HASH, label), ct, ok=False)
    return p.stdout if p.returncode == 0 else None


def flip(b, i):
    b = bytearray(b)
    b[i] ^= 0x01
    return bytes(b)


MESSAGES = [b"", b"123400", b"Test", bytes(range(0, 64)), b"\x00" * 129,
            bytes((7 * i + 3) & 0xFF for i in range(1000))]

# ---- the files ----------------------------------------------------------------


def header(algorithm, schema, groups, notes):
    n = sum(len(g["tests"]) for g in groups)
    return {"algorithm": algorithm, "schema": schema, "numberOfTests": n,
            "header": ["Made by rsalab's vectors/data/sha3/generate.py with the openssl "
                       "tool (OpenSSL 3); checked against it before writing."],
            "notes": notes, "testGroups": groups}


NOTES = {
    "Normal": {"bugType": "BASIC", "description": "A valid case made by the openssl tool."},
    "ModifiedSignature": {"bugType": "MODIFIED_SIGNATURE",
                          "description": "One byte of a valid signature changed."},
    "WrongHash": {"bugType": "MISSING_STEP",
                  "description": "The right padding over another hash than the group's."},
    "WrongMessage": {"bugType": "BASIC",
                     "description": "A valid signature of another message."},
    "ModifiedCiphertext": {"bugType": "MODIFIED_CIPHERTEXT",
                           "description": "One byte of a valid ciphertext changed."},
    "WrongLabel": {"bugType": "MISSING_STEP",
                   "description": "Encrypted with another OAEP label than the test's."},
    "WrongSaltLength": {"bugType": "MISSING_STEP",
                        "description": "A PSS signature with another salt length than sLen."},
}


class Tests:
    def __init__(self):
        self.v = []

    def add(self, comment, flags, result, **kw):
        t = {"tcId": len(self.v) + 1, "comment": comment, "flags": flags}
        t.update({k: (v.hex() if isinstance(v, bytes) else v) for k, v in kw.items()})
        t["result"] = result
        self.v.append(t)


def pkcs1_file(key, work):
    t = Tests()
    for m in MESSAGES:
        s = sign(key, m, HASH)
        assert verify(key, m, s, HASH, work=work)
        t.add("valid", ["Normal"], "valid", msg=m, sig=s)
    m = MESSAGES[2]
    s = sign(key, m, HASH)
    for i, where in ((0, "first"), (128, "middle"), (255, "last")):
        bad = flip(s, i)
        assert not verify(key, m, bad, HASH, work=work)
        t.add("modified %s signature byte" % where, ["ModifiedSignature"], "invalid",
              msg=m, sig=bad)
    for other in ("sha256", "sha3-384", "sha3-224"):
        bad = sign(key, m, other)
        assert not verify(key, m, bad, HASH, work=work)
        t.add("v1.5 signature with %s" % other, ["WrongHash"], "invalid", msg=m, sig=bad)
    bad = sign(key, MESSAGES[1], HASH)
    assert not verify(key, m, bad, HASH, work=work)
    t.add("signature of another message", ["WrongMessage"], "invalid", msg=m, sig=bad)
    bad = sign(key, m, HASH, pss=(HASH, HASH, 32))
    assert not verify(key, m, bad, HASH, work=work)
    t.add("PSS signature in place of v1.5", ["WrongHash"], "invalid", msg=m, sig=bad)
    g = {"type": "RsassaPkcs1Verify", "sha": "SHA3-256"}
    g.update(key.public_group())
    g["tests"] = t.v
    return header("RSASSA-PKCS1-v1_5", "rsassa_pkcs1_verify_schema_v1.json", [g],
                  {k: NOTES[k] for k in ("Normal", "ModifiedSignature", "WrongHash",
                                         "WrongMessage")})


def pss_file(key, work):
    t = Tests()
    good = (HASH, HASH, 32)
    for m in MESSAGES:
        s = sign(key, m, HASH, pss=good)
        assert verify(key, m, s, HASH, pss=good, work=work)
        t.add("valid", ["Normal"], "valid", msg=m, sig=s)
    m = MESSAGES[2]
    s = sign(key, m, HASH, pss=good)
    for i, where in ((0, "first"), (128, "middle"), (255, "last")):
        bad = flip(s, i)
        assert not verify(key, m, bad, HASH, pss=good, work=work)
        t.add("modified %s signature byte" % where, ["ModifiedSignature"], "invalid",
              msg=m, sig=bad)
    for md, mgf, what in (("sha256", "sha256", "hash and MGF1 hash SHA-256"),
                          ("sha256", HASH, "hash SHA-256"),
                          (HASH, "sha256", "MGF1 hash SHA-256"),
                          (HASH, "sha3-384", "MGF1 hash SHA3-384")):
        bad = sign(key, m, md, pss=(md, mgf, 32))
        assert not verify(key, m, bad, HASH, pss=good, work=work)
        t.add("PSS signature with %s" % what, ["WrongHash"], "invalid", msg=m, sig=bad)
    for salt in (0, 20, 33):
        bad = sign(key, m, HASH, pss=(HASH, HASH, salt))
        assert not verify(key, m, bad, HASH, pss=good, work=work)
        t.add("salt length %d" % salt, ["WrongSaltLength"], "invalid", msg=m, sig=bad)
    bad = sign(key, MESSAGES[1], HASH, pss=good)
    assert not verify(key, m, bad, HASH, pss=good, work=work)
    t.add("signature of another message", ["WrongMessage"], "invalid", msg=m, sig=bad)
    g = {"type": "RsassaPssVerify", "sha": "SHA3-256", "mgf": "MGF1", "mgfSha": "SHA3-256",
         "sLen": 32}
    g.update(key.public_group())
    g["tests"] = t.v
    return header("RSASSA-PSS", "rsassa_pss_verify_schema_v1.json", [g],
                  {k: NOTES[k] for k in ("Normal", "ModifiedSignature", "WrongHash",
                                         "WrongSaltLength", "WrongMessage")})


def oaep_file(key, work):
    t = Tests()
    cases = [(m, b"") for m in MESSAGES[:4]] + [(b"Test", b"label"),
                                                (bytes(range(32)), bytes(range(20))),
                                                (b"\x00" * 190, b"")]
    for m, label in cases:
        c = encrypt(key, m, label=label)
        assert decrypt(key, c, label) == m
        t.add("valid" + (" with a label" if label else ""), ["Normal"], "valid", msg=m,
              ct=c, label=label)
    m = b"Test"
    c = encrypt(key, m)
    for i, where in ((0, "first"), (128, "middle"), (255, "last")):
        bad = flip(c, i)
        assert decrypt(key, bad) is None
        t.add("modified %s ciphertext byte" % where, ["ModifiedCiphertext"], "invalid",
              msg=b"", ct=bad, label=b"")
    for md, mgf, what in (("sha256", "sha256", "hash and MGF1 hash SHA-256"),
                          ("sha256", HASH, "hash SHA-256"),
                          (HASH, "sha256", "MGF1 hash SHA-256"),
                          ("sha3-384", "sha3-384", "SHA3-384")):
        bad = encrypt(key, m, md=md, mgf=mgf)
        assert decrypt(key, bad) is None
        t.add("OAEP with %s" % what, ["WrongHash"], "invalid", msg=b"", ct=bad, label=b"")
    bad = encrypt(key, m, label=b"other")
    assert decrypt(key, bad) is None
    t.add("encrypted with another label", ["WrongLabel"], "invalid", msg=b"", ct=bad,
          label=b"")
    bad = encrypt(key, m)
    assert decrypt(key, bad, b"label") is None
    t.add("decrypted with a label it was not encrypted with", ["WrongLabel"], "invalid",
          msg=b"", ct=bad, label=b"label")
    g = {"type": "RsaesOaepDecrypt", "sha": "SHA3-256", "mgf": "MGF1", "mgfSha": "SHA3-256"}
    g.update(key.private_group())
    g["tests"] = t.v
    return header("RSAES-OAEP", "rsaes_oaep_decrypt_schema_v1.json", [g],
                  {k: NOTES[k] for k in ("Normal", "ModifiedCiphertext", "WrongHash",
                                         "WrongLabel")})


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    with tempfile.TemporaryDirectory() as work:
        key = Key(work)
        files = {
            "rsa_signature_2048_sha3_256_test.json": pkcs1_file(key, work),
            "rsa_pss_2048_sha3_256_mgf1_32_test.json": pss_file(key, work),
            "rsa_oaep_2048_sha3_256_mgf1sha3_256_test.json": oaep_file(key, work),
        }
    for name, doc in files.items():
        with open(os.path.join(out, name), "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
        print("%s: %d tests" % (name, doc["numberOfTests"]))


if __name__ == "__main__":
    main()
