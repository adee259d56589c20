#!/usr/bin/env python3
"""Write vectors/data/wycheproof/rsalab_pkcs1_sig_gen_cavp_test.json.

A small test file of Wycheproof's schema rsassa_pkcs1_generate_schema_v1
(PKCS#1 v1.5 signature generation) made from known-good data: the NIST CAVP
file SigGen15_186-2.txt of Debian's python3-cryptography-vectors, which gives
n, e, d and, per message, the expected signature S.  The primes are recovered
from n, e, d (scripts/derkey.py) so that each group carries the key in the
three forms the schema defines: components ("privateKey"), "privateKeyPkcs8"
(DER) and "privateKeyPem".  The signatures are CAVP's, copied unchanged.

Groups: RSA-2048 with SHA-224, SHA-256, SHA-384 and SHA-512 and RSA-3072
with SHA-256 ("valid"), RSA-1024 with SHA-1 ("acceptable", flags
SmallModulus and WeakHash, as Wycheproof marks them), and two keys the file
marks "invalid": the RSA-2048 key with q replaced by the next prime (n is
not p*q) and with qInv off by one.  A signer must refuse those keys.

    python3 scripts/siggen_vectors.py [CAVP_FILE] > \
        vectors/data/wycheproof/rsalab_pkcs1_sig_gen_cavp_test.json

Python 3 standard library only; the output is the same on every run.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import derkey  # noqa: E402

CAVP = ("/usr/lib/python3/dist-packages/cryptography_vectors/"
        "asymmetric/RSA/FIPS_186-2/SigGen15_186-2.txt")
HASHES = {"SHA1": "SHA-1", "SHA224": "SHA-224", "SHA256": "SHA-256",
          "SHA384": "SHA-384", "SHA512": "SHA-512"}


def read_cavp(path):
    """{bits: (n, e, d, [(hash, msg, sig), ...])}"""
    mods, cur = {}, None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("[mod"):
                cur = {"cases": []}
                mods[int(line.split("=")[1].strip(" ]"))] = cur
            elif "=" in line and cur is not None:
                k, v = (x.strip() for x in line.split("=", 1))
                if k in ("n", "e", "d"):
                    cur[k] = int(v, 16)
                elif k == "SHAAlg":
                    cur["cases"].append([HASHES[v]])
                elif k in ("Msg", "S"):
                    cur["cases"][-1].append(v)
    return {b: (m["n"], m["e"], m["d"], m["cases"]) for b, m in mods.items()}


def hexint(v):
    """Wycheproof BigInt: big-endian hex, two's complement (a leading 00
    when the top bit is set)."""
    return derkey.int_body(v).hex()


def group(comp, bits, sha, tests, comment):
    n, e, d, p, q, dp, dq, qinv = comp
    der = derkey.pkcs8(derkey.rsa_private(*comp))
    return {
        "type": "RsassaPkcs1Generate",
        "source": {"name": "rsalab scripts/siggen_vectors.py from NIST CAVP SigGen15_186-2",
                   "version": "1"},
        "comment": comment,
        "privateKey": {
            "modulus": hexint(n), "publicExponent": hexint(e),
            "privateExponent": hexint(d), "prime1": hexint(p), "prime2": hexint(q),
            "exponent1": hexint(dp), "exponent2": hexint(dq), "coefficient": hexint(qinv),
        },
        "privateKeyPkcs8": der.hex(),
        "privateKeyPem": derkey.pem("PRIVATE KEY", der),
        "keySize": bits,
        "sha": sha,
        "tests": tests,
    }


def main():
    mods = read_cavp(sys.argv[1] if len(sys.argv) > 1 else CAVP)
    keys = {}
    for bits, (n, e, d, _) in mods.items():
        p, q = derkey.recover_factors(n, e, d)
        keys[bits] = derkey.crt(n, e, d, p, q)

    groups, tc = [], 0

    def tests_for(bits, sha, count, result, flags, comment):
        nonlocal tc
        out = []
        for h, msg, sig in mods[bits][3]:
            if h != sha or len(out) == count:
                continue
            tc += 1
            out.append({"tcId": tc, "comment": comment, "flags": flags,
                        "msg": msg, "sig": sig, "result": result})
        return out

    for bits, sha, count in ((2048, "SHA-224", 2), (2048, "SHA-256", 3), (2048, "SHA-384", 2),
                             (2048, "SHA-512", 2), (3072, "SHA-256", 1)):
        groups.append(group(keys[bits], bits, sha,
                            tests_for(bits, sha, count, "valid", ["ValidSignature"],
                                      "CAVP SigGen15_186-2 [mod = %d]" % bits),
                            "valid key"))
    groups.append(group(keys[1024], 1024, "SHA-1",
                        tests_for(1024, "SHA-1", 2, "acceptable", ["SmallModulus", "WeakHash"],
                                  "CAVP SigGen15_186-2 [mod = 1024]"),
                        "1024-bit key and SHA-1: acceptable"))

    n, e, d, p, q, dp, dq, qinv = keys[2048]
    q2 = derkey.next_prime(q)
    bad_pq = derkey.crt(n, e, d, p, q2)
    groups.append(group(bad_pq, 2048, "SHA-256",
                        tests_for(2048, "SHA-256", 1, "invalid", ["InvalidKey"],
                                  "n is not p*q (q replaced by the next prime)"),
                        "invalid key: n is not p*q"))
    bad_qinv = (n, e, d, p, q, dp, dq, (qinv + 1) % p)
    groups.append(group(bad_qinv, 2048, "SHA-256",
                        tests_for(2048, "SHA-256", 1, "invalid", ["InvalidKey"],
                                  "qInv is not q^-1 mod p (off by one)"),
                        "invalid key: wrong CRT coefficient"))

    doc = {
        "algorithm": "RSASSA-PKCS1-v1_5",
        "schema": "rsassa_pkcs1_generate_schema_v1.json",
        "numberOfTests": tc,
        "header": [
            "Not a Wycheproof file: made by rsalab's scripts/siggen_vectors.py from the",
            "NIST CAVP file SigGen15_186-2.txt (python3-cryptography-vectors), in the",
            "schema of Wycheproof's RSASSA-PKCS1-v1_5 signature generation files.",
        ],
        "notes": {
            "ValidSignature": {"bugType": "BASIC",
                               "description": "The signature is CAVP's for this key and message."},
            "SmallModulus": {"bugType": "WEAK_PARAMS",
                             "description": "A 1024-bit modulus: signing may be refused."},
            "WeakHash": {"bugType": "WEAK_PARAMS",
                         "description": "SHA-1: signing may be refused."},
            "InvalidKey": {"bugType": "MODIFIED_PARAMETER",
                           "description": "The private key is inconsistent; a signer must "
                                          "refuse it (at import or when signing)."},
        },
        "testGroups": groups,
    }
    json.dump(doc, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
