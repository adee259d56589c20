#!/usr/bin/env python3
"""RSASSA-PSS with SHAKE (RFC 8702) made by a backend, checked without it.

usage: pss_shake_check.py RSALAB BACKEND OPENSSL

With a 2048-bit key from the openssl tool, the backend signs a message with --hash shake128 and
shake256 (salt: the output length, 32 / 64).  The openssl tool undoes the RSA
(pkeyutl -verifyrecover, no padding) and this script checks the encoded
message EM with Python's hashlib SHAKE, step by step after RFC 8702 2.2 and
RFC 8017 9.1.2 (mask = SHAKE(H) itself, not MGF1).  The backend must then
accept its own signature and refuse one with a changed byte.  Exit 77 when
the backend reports RSASSA-PSS with SHAKE unsupported (the reason printed).
"""
import hashlib
import os
import subprocess
import sys
import tempfile


def main():
    rsalab, be, openssl = sys.argv[1:4]
    with tempfile.TemporaryDirectory() as d:
        def p(name):
            return os.path.join(d, name)

        def run(*args):
            return subprocess.run(list(args), capture_output=True)

        # The key comes from the openssl tool: this checks the padding, not
        # the backend's key generation.
        r = run(openssl, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                "-out", p("k.pem"))
        if r.returncode == 0:
            r = run(openssl, "pkey", "-in", p("k.pem"), "-pubout", "-out", p("k.pub.pem"))
        if r.returncode != 0:
            sys.exit("openssl genpkey/pkey failed: %s" % r.stderr.decode())
        msg = bytes((i * 31 + 7) & 0xFF for i in range(777))
        with open(p("msg"), "wb") as f:
            f.write(msg)
        for name, hl, shake in (("shake128", 32, hashlib.shake_128),
                                ("shake256", 64, hashlib.shake_256)):
            r = run(rsalab, "sign", "--backend", be, "--key", p("k.pem"), "--padding", "pss",
                    "--hash", name, "--in", p("msg"), "--out", p("sig"))
            if r.returncode != 0:
                err = r.stderr.decode()
                if "not supported" in err:
                    print("SKIP: %s" % err.strip())
                    sys.exit(77)
                sys.exit("sign %s failed: %s" % (name, err))
            r = run(openssl, "pkeyutl", "-verifyrecover", "-pubin", "-inkey", p("k.pub.pem"),
                    "-pkeyopt", "rsa_padding_mode:none", "-in", p("sig"))
            if r.returncode != 0:
                sys.exit("openssl raw RSA failed: %s" % r.stderr.decode())
            em = r.stdout
            # 2048-bit modulus: emBits = 2047, emLen = 256, top bit zero
            assert len(em) == 256 and em[-1] == 0xBC and em[0] & 0x80 == 0, "EM framing"
            db_len = 256 - hl - 1
            h = em[db_len:db_len + hl]
            db = bytearray(a ^ b for a, b in zip(em[:db_len], shake(h).digest(db_len)))
            db[0] &= 0x7F
            i = 0
            while i < db_len and db[i] == 0:
                i += 1
            assert i < db_len and db[i] == 0x01, "DB separator"
            salt = bytes(db[i + 1:])
            assert len(salt) == hl, "salt of %d bytes, want %d" % (len(salt), hl)
            m_hash = shake(msg).digest(hl)
            assert shake(b"\0" * 8 + m_hash + salt).digest(hl) == h, "H differs"
            r = run(rsalab, "verify", "--backend", be, "--key", p("k.pub.pem"), "--padding",
                    "pss", "--hash", name, "--sig", p("sig"), "--in", p("msg"))
            assert r.returncode == 0, "own signature refused: %s" % r.stderr.decode()
            sig = bytearray(open(p("sig"), "rb").read())
            sig[100] ^= 1
            with open(p("sig"), "wb") as f:
                f.write(sig)
            r = run(rsalab, "verify", "--backend", be, "--key", p("k.pub.pem"), "--padding",
                    "pss", "--hash", name, "--sig", p("sig"), "--in", p("msg"))
            assert r.returncode != 0, "changed signature accepted"
            print("%s %s: EMSA-PSS per RFC 8702 checked with hashlib, salt %d" % (be, name, hl))


if __name__ == "__main__":
    main()
